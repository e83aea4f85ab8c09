/**
 * Validates parsed targets configuration and resolves it into {@link ResolvedTarget}s: loads passwords from the
 * environment or from files and CA certificates from files. Collects every problem before failing, so one run
 * shows everything that needs fixing.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { formatConfigPath } from './config-path';
import { ConfigError } from './errors';
import { isLoopbackHost } from './loopback';
import { TargetRegistry } from './registry';
import { createResolvedTarget, type ResolvedTarget } from './resolved-target';
import { DEFAULT_TARGET_POLICY, type ApprovalPolicy, type TargetPolicy } from '../contract/policy';
import { TARGET_NAME_PATTERN } from '../contract/target-name';
import { TargetEntrySchema, TargetPolicySchema, policyProblems, structuralProblems } from './targets-schema';

/** The file-wide policy as written: `approval`'s fields stay partial until each target's are merged in. */
type FilePolicy = Omit<TargetPolicy, 'approval'> & { approval: Partial<ApprovalPolicy> };

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
  const allowedSignersFile = await signersFile(raw, options, problems);
  const signers = { file: allowedSignersFile, named: isPlainObject(raw) && raw.allowedSignersFile !== undefined };
  // Targets are checked concurrently (file reads) but their problems are listed in file order.
  const outcomes = await Promise.all(
    entries.map(([name, value]) => resolveTarget(name, value, options, fileDefault, signers)),
  );
  for (const outcome of outcomes) problems.push(...outcome.problems);
  problems.push(...sameUrlProblems(outcomes.flatMap((outcome) => (outcome.target ? [outcome.target] : []))));
  if (problems.length > 0) throw new ConfigError(options.source, problems);
  return new TargetRegistry(
    outcomes.flatMap((outcome) => (outcome.target === undefined ? [] : [outcome.target])),
    allowedSignersFile === undefined ? {} : { allowedSignersFile },
  );
}

/**
 * The top-level `allowedSignersFile` (ssh-keygen's allowed-signers format, as git uses it), resolved
 * against the file's directory and read once now so a missing or empty file fails at start, not at
 * the first approval. The verification activity reads it again each time, so edits apply at once.
 */
async function signersFile(
  raw: unknown,
  options: ParseTargetsOptions,
  problems: string[],
): Promise<string | undefined> {
  if (!isPlainObject(raw) || raw.allowedSignersFile === undefined) return undefined;
  const value = raw.allowedSignersFile;
  if (typeof value !== 'string' || value === '') {
    problems.push('allowedSignersFile: must be a file path (the allowed-signers file that vouches for approvers)');
    return undefined;
  }
  const file = resolve(options.baseDir, value);
  const content = await readText(file, 'allowedSignersFile', problems);
  if (content === undefined) return undefined;
  if (!content.split(/\r?\n/).some((line) => line.trim() !== '' && !line.trim().startsWith('#'))) {
    problems.push(`allowedSignersFile: ${file} lists no signer`);
    return undefined;
  }
  return file;
}

/**
 * A target's approval rules: the target's fields over the file-wide ones, over the defaults. A file
 * that names an allowed-signers file asks for signed approvals and requests unless it says
 * otherwise; one that names none keeps named approvals (the upgrade path of older files).
 */
function approvalPolicy(
  fileDefault: FilePolicy,
  own: Partial<ApprovalPolicy> | undefined,
  signers: { file?: string; named: boolean },
  base: string[],
  problems: string[],
): ApprovalPolicy | undefined {
  const merged = { ...fileDefault.approval, ...own };
  if (!signers.named && Object.keys(merged).length === 0) return undefined;
  const signed = merged.signed ?? signers.named;
  const signedRequests = merged.signedRequests ?? signed;
  if ((signed || signedRequests) && !signers.named) {
    problems.push(
      `${formatConfigPath([...base, 'policy', 'approval'])}: signed approvals need the allowed-signers file: set allowedSignersFile at the top of the file`,
    );
  }
  if (signedRequests && !signed) {
    problems.push(
      `${formatConfigPath([...base, 'policy', 'approval'])}: signedRequests needs signed approvals too (signed: true)`,
    );
  }
  return { signed, signedRequests, ...(merged.approvers ? { approvers: [...merged.approvers] } : {}) };
}

/** The `[name, value]` pairs under `targets`, after checking the document's outer shape. */
function topLevelEntries(raw: unknown, problems: string[]): [string, unknown][] {
  if (!isPlainObject(raw)) {
    problems.push(`(root): must be an object with a "targets" property`);
    return [];
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'targets' && key !== 'policy' && key !== 'allowedSignersFile') {
      problems.push(`${formatConfigPath([key])}: unknown key (allowed: targets, policy, allowedSignersFile)`);
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
function filePolicy(raw: unknown, problems: string[]): FilePolicy {
  const defaults: FilePolicy = { ...DEFAULT_TARGET_POLICY, approval: {} };
  if (!isPlainObject(raw) || raw.policy === undefined) return defaults;
  const found = policyProblems(raw.policy);
  if (found.length > 0) {
    problems.push(...found);
    return defaults;
  }
  const { approval, ...decisions } = TargetPolicySchema.parse(raw.policy);
  return { ...defaults, ...decisions, approval: approval ?? {} };
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
  fileDefault: FilePolicy,
  signers: { file?: string; named: boolean },
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
      ? checkUrl(value.url, [...base, 'url'], problems, value.insecureAllowHttp === true)
      : undefined;
  const nodes = checkNodeUrls(value.nodes, url, base, problems, value.insecureAllowHttp === true);
  const passwordProblems: string[] = [];
  const caProblems: string[] = [];
  const [password, ca] = await Promise.all([
    loadPassword(value, base, options, passwordProblems),
    loadCa(value, base, options, caProblems),
  ]);
  problems.push(...passwordProblems, ...caProblems);
  if (problems.length > 0 || url === undefined || password === undefined) return { problems };

  const entry = TargetEntrySchema.parse(value);
  const { approval: ownApproval, ...ownDecisions } = entry.policy ?? {};
  const approval = approvalPolicy(fileDefault, ownApproval, signers, base, problems);
  if (problems.length > 0) return { problems };
  const target = createResolvedTarget({
    name,
    url,
    username: entry.username,
    password,
    ...(ca === undefined ? {} : { ca }),
    insecureSkipTlsVerify: entry.insecureSkipTlsVerify ?? false,
    ...(entry.timeouts === undefined ? {} : { timeouts: entry.timeouts }),
    ...(nodes === undefined ? {} : { nodes }),
    policy: {
      forced: ownDecisions.forced ?? fileDefault.forced,
      planned: ownDecisions.planned ?? fileDefault.planned,
      ...(approval ? { approval } : {}),
    },
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

/**
 * The target's per-node URLs (`nodes`), each key a node slot or an IP address and each URL checked
 * like the target's; a URL equal to the target's own is a mistake (that address is the target's).
 * Structural problems (not an object, an empty URL) are reported by the schema.
 */
function checkNodeUrls(
  value: unknown,
  targetUrl: string | undefined,
  base: string[],
  problems: string[],
  allowHttp: boolean,
): Record<string, string> | undefined {
  if (!isPlainObject(value)) return undefined;
  const nodes: Record<string, string> = {};
  for (const [key, text] of Object.entries(value)) {
    const at = [...base, 'nodes', key];
    if (!isNodeKey(key)) {
      problems.push(
        `${formatConfigPath(at)}: ${JSON.stringify(key)} names no node: use node1, node2 or the node's ha_ip address`,
      );
      continue;
    }
    if (typeof text !== 'string' || text === '') continue;
    const url = checkUrl(text, at, problems, allowHttp);
    if (url === undefined) continue;
    if (targetUrl !== undefined && url === targetUrl) {
      problems.push(`${formatConfigPath(at)}: is the target's own url; list only addresses other than it`);
      continue;
    }
    nodes[key] = url;
  }
  return Object.keys(nodes).length > 0 ? nodes : undefined;
}

/** A `nodes` key: a node slot, or an IPv4 or IPv6 address (the node's `ha_ip`). */
function isNodeKey(key: string): boolean {
  return key === 'node1' || key === 'node2' || isIP(key) !== 0;
}

/** Returns the URL without trailing slashes, or records why the value at `at` is unacceptable. */
function checkUrl(text: string, at: string[], problems: string[], allowHttp: boolean): string | undefined {
  const path = formatConfigPath(at);
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
