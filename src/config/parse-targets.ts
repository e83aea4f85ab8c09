/**
 * Validates parsed targets configuration and resolves it into {@link ResolvedTarget}s: loads passwords from the
 * environment or from files and CA certificates from files. Collects every problem before failing, so one run
 * shows everything that needs fixing.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatConfigPath } from './config-path';
import { ConfigError } from './errors';
import { isLoopbackHost } from './loopback';
import { TargetRegistry } from './registry';
import { createResolvedTarget, type ResolvedTarget } from './resolved-target';
import { DEFAULT_TARGET_POLICY, type TargetPolicy } from '../contract/policy';
import { TARGET_NAME_PATTERN } from '../contract/target-name';
import { TargetEntrySchema, TargetPolicySchema, policyProblems, structuralProblems } from './targets-schema';

/** Where a configuration came from and what it may refer to. */
export interface ParseTargetsOptions {
  /** Environment that `passwordEnv` variables are read from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative `passwordFile` and `caFile` paths are resolved against (the file's directory). */
  baseDir: string;
  /** Name of the configuration's origin for error messages, usually the file path. */
  source: string;
}

const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validates raw configuration (the parsed JSON/YAML document) and resolves every target; throws a {@link ConfigError}. */
export async function parseTargets(raw: unknown, options: ParseTargetsOptions): Promise<TargetRegistry> {
  const problems: string[] = [];
  const entries = topLevelEntries(raw, problems);
  const fileDefault = filePolicy(raw, problems);
  // Targets are checked concurrently (file reads) but their problems are listed in file order.
  const outcomes = await Promise.all(entries.map(([name, value]) => resolveTarget(name, value, options, fileDefault)));
  for (const outcome of outcomes) problems.push(...outcome.problems);
  problems.push(...sameUrlProblems(outcomes.flatMap((outcome) => (outcome.target ? [outcome.target] : []))));
  if (problems.length > 0) throw new ConfigError(options.source, problems);
  return new TargetRegistry(outcomes.flatMap((outcome) => (outcome.target === undefined ? [] : [outcome.target])));
}

/** The `[name, value]` pairs under `targets`, after checking the document's outer shape. */
function topLevelEntries(raw: unknown, problems: string[]): [string, unknown][] {
  if (!isPlainObject(raw)) {
    problems.push(`(root): must be an object with a "targets" property`);
    return [];
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'targets' && key !== 'policy') {
      problems.push(`${formatConfigPath([key])}: unknown key (allowed: targets, policy)`);
    }
  }
  const targets = raw.targets;
  if (targets === undefined) {
    problems.push('targets: is required');
    return [];
  }
  if (!isPlainObject(targets)) {
    problems.push('targets: must be an object mapping target names to targets');
    return [];
  }
  const entries = Object.entries(targets);
  if (entries.length === 0) problems.push('targets: at least one target is required');
  return entries;
}

/** The file-wide `policy` over the built-in defaults; its problems are listed before the targets'. */
function filePolicy(raw: unknown, problems: string[]): TargetPolicy {
  if (!isPlainObject(raw) || raw.policy === undefined) return DEFAULT_TARGET_POLICY;
  const found = policyProblems(raw.policy);
  if (found.length > 0) {
    problems.push(...found);
    return DEFAULT_TARGET_POLICY;
  }
  return { ...DEFAULT_TARGET_POLICY, ...TargetPolicySchema.parse(raw.policy) };
}

/** One target checked: the resolved target when it is valid, and every problem found in it. */
interface TargetOutcome {
  target?: ResolvedTarget;
  problems: string[];
}

/** Checks one target and loads its secrets; problems are listed as name, structure, URL, password, CA. */
async function resolveTarget(
  name: string,
  value: unknown,
  options: ParseTargetsOptions,
  fileDefault: TargetPolicy,
): Promise<TargetOutcome> {
  const base = ['targets', name];
  const problems: string[] = [];
  if (!TARGET_NAME_PATTERN.test(name)) {
    problems.push(`${formatConfigPath(base)}: target name may only contain letters, digits, '.', '_' and '-'`);
  }
  problems.push(...structuralProblems(value, base));
  if (!isPlainObject(value)) return { problems };

  const url =
    typeof value.url === 'string' && value.url !== ''
      ? checkUrl(value.url, base, problems, value.insecureAllowHttp === true)
      : undefined;
  const passwordProblems: string[] = [];
  const caProblems: string[] = [];
  const [password, ca] = await Promise.all([
    loadPassword(value, base, options, passwordProblems),
    loadCa(value, base, options, caProblems),
  ]);
  problems.push(...passwordProblems, ...caProblems);
  if (problems.length > 0 || url === undefined || password === undefined) return { problems };

  const entry = TargetEntrySchema.parse(value);
  const target = createResolvedTarget({
    name,
    url,
    username: entry.username,
    password,
    ...(ca === undefined ? {} : { ca }),
    insecureSkipTlsVerify: entry.insecureSkipTlsVerify ?? false,
    ...(entry.timeouts === undefined ? {} : { timeouts: entry.timeouts }),
    policy: { ...fileDefault, ...entry.policy },
  });
  return { target, problems };
}

/**
 * A target URL in the form two names of one address share: scheme and host lower-cased, the default
 * port made explicit, no trailing slash.
 */
function normalisedUrl(text: string): string {
  const url = new URL(text);
  const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
  return `${url.protocol}//${url.hostname}${port ? `:${port}` : ''}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Targets that name the same normalised URL: each is one problem naming both. Two names of one
 * vCenter are also serialised by the cluster's ledger; the same URL twice is a mistake found here
 * for nothing (a DNS name and its IP address can only be told apart by the cluster's identity).
 */
function sameUrlProblems(targets: readonly ResolvedTarget[]): string[] {
  const problems: string[] = [];
  const first = new Map<string, string>();
  for (const target of targets) {
    const url = normalisedUrl(target.url);
    const earlier = first.get(url);
    if (earlier === undefined) first.set(url, target.name);
    else {
      problems.push(
        `${formatConfigPath(['targets', target.name, 'url'])}: ${url} is also the URL of target ${JSON.stringify(earlier)} ` +
          `(${formatConfigPath(['targets', earlier, 'url'])}); name each vCenter once`,
      );
    }
  }
  return problems;
}

/** Returns the URL without trailing slashes, or records why it is unacceptable. */
function checkUrl(text: string, base: string[], problems: string[], allowHttp: boolean): string | undefined {
  const path = formatConfigPath([...base, 'url']);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(`${path}: is not a valid URL`);
    return undefined;
  }
  const before = problems.length;
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname) && !allowHttp) {
      problems.push(`${path}: http is only allowed for loopback hosts (or with insecureAllowHttp: true); use https`);
    }
  } else if (url.protocol !== 'https:') {
    problems.push(`${path}: must be an https URL (http only for loopback hosts), not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    problems.push(`${path}: must not contain credentials; use username and passwordEnv or passwordFile`);
  }
  if (url.search !== '' || url.hash !== '') problems.push(`${path}: must not have a query or fragment`);
  if (problems.length > before) return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

async function loadPassword(
  value: Record<string, unknown>,
  base: string[],
  options: ParseTargetsOptions,
  problems: string[],
): Promise<string | undefined> {
  const hasEnv = value.passwordEnv !== undefined;
  const hasFile = value.passwordFile !== undefined;
  if (hasEnv && hasFile) {
    problems.push(`${formatConfigPath(base)}: set only one of passwordEnv and passwordFile, not both`);
    return undefined;
  }
  if (!hasEnv && !hasFile) {
    problems.push(`${formatConfigPath(base)}: one of passwordEnv or passwordFile is required`);
    return undefined;
  }
  if (typeof value.passwordEnv === 'string' && value.passwordEnv !== '') {
    return passwordFromEnv(value.passwordEnv, formatConfigPath([...base, 'passwordEnv']), options.env, problems);
  }
  if (typeof value.passwordFile === 'string' && value.passwordFile !== '') {
    const path = formatConfigPath([...base, 'passwordFile']);
    return passwordFromFile(resolve(options.baseDir, value.passwordFile), path, problems);
  }
  return undefined; // wrong type: already reported as a structural problem
}

function passwordFromEnv(
  variable: string,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): string | undefined {
  if (!ENV_NAME_PATTERN.test(variable)) {
    problems.push(`${path}: ${JSON.stringify(variable)} is not a valid environment variable name`);
    return undefined;
  }
  const password = env[variable];
  if (password === undefined) {
    problems.push(`${path}: variable ${variable} is not set`);
    return undefined;
  }
  if (password === '') {
    problems.push(`${path}: variable ${variable} is empty`);
    return undefined;
  }
  return password;
}

async function passwordFromFile(file: string, path: string, problems: string[]): Promise<string | undefined> {
  const content = await readText(file, path, problems);
  if (content === undefined) return undefined;
  // Editors and `echo` add a final newline; it is not part of the password.
  const password = content.replace(/\r?\n$/, '');
  if (password === '') {
    problems.push(`${path}: ${file} is empty`);
    return undefined;
  }
  return password;
}

async function loadCa(
  value: Record<string, unknown>,
  base: string[],
  options: ParseTargetsOptions,
  problems: string[],
): Promise<string | undefined> {
  if (typeof value.caFile !== 'string' || value.caFile === '') return undefined;
  const path = formatConfigPath([...base, 'caFile']);
  const file = resolve(options.baseDir, value.caFile);
  const pem = await readText(file, path, problems);
  if (pem === undefined) return undefined;
  const firstCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (firstCertificate === null) {
    problems.push(`${path}: ${file} does not contain a PEM certificate`);
    return undefined;
  }
  try {
    new X509Certificate(firstCertificate[0]);
  } catch {
    problems.push(`${path}: ${file} contains a PEM block that is not a valid certificate`);
    return undefined;
  }
  return pem;
}

async function readText(file: string, path: string, problems: string[]): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    problems.push(`${path}: cannot read ${file} (${typeof code === 'string' ? code : 'unknown error'})`);
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
