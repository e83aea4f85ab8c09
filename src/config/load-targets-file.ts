/**
 * Reads the targets file named by `VCHA_TARGETS_FILE` (JSON, or YAML when it ends in .yaml/.yml) and resolves it
 * into a {@link TargetRegistry}.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import YAML from 'yaml';
import { ConfigError } from './errors';
import { locateJsonSyntaxError } from './json-syntax-error';
import { parseTargets } from './parse-targets';
import { type TargetRegistry } from './registry';

/** Environment variable holding the path of the targets file. */
export const TARGETS_FILE_ENV = 'VCHA_TARGETS_FILE';

/** Loads and resolves a targets file; throws a {@link ConfigError} listing every problem. */
export async function loadTargetsFile(path: string, env: NodeJS.ProcessEnv = process.env): Promise<TargetRegistry> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigError(path, [`${path}: cannot read file (${typeof code === 'string' ? code : 'unknown error'})`]);
  }
  // A byte order mark from some editors is not part of the document.
  const document = text.replace(/^\uFEFF/, '');
  const raw = isYamlFile(path) ? parseYaml(document, path) : parseJson(document, path);
  return parseTargets(raw, { env, baseDir: dirname(resolve(path)), source: path });
}

/** Loads the targets file named by {@link TARGETS_FILE_ENV} in `env`. */
export async function loadTargetsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<TargetRegistry> {
  const path = env[TARGETS_FILE_ENV];
  if (path === undefined || path === '') {
    throw new ConfigError('environment', [`${TARGETS_FILE_ENV}: variable is not set; point it at the targets file`]);
  }
  return loadTargetsFile(path, env);
}

function isYamlFile(path: string): boolean {
  const extension = extname(path).toLowerCase();
  return extension === '.yaml' || extension === '.yml';
}

function parseJson(text: string, path: string): unknown {
  if (text.trim() === '') throw new ConfigError(path, [`${path}: file is empty`]);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const location = locateJsonSyntaxError(text);
    const detail =
      location === undefined
        ? 'invalid JSON'
        : `invalid JSON at line ${location.line}, column ${location.column}: ${location.problem}`;
    throw new ConfigError(path, [`${path}: ${detail}`]);
  }
}

function parseYaml(text: string, path: string): unknown {
  const document = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      path,
      document.errors.map((error) => `${path}: invalid YAML: ${firstLine(error.message)}`),
    );
  }
  let value: unknown;
  try {
    value = document.toJS() as unknown;
  } catch (error) {
    throw new ConfigError(path, [`${path}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (value === null || value === undefined) throw new ConfigError(path, [`${path}: file is empty`]);
  return value;
}

/** The first line of a pretty YAML error ("... at line 3, column 5:"), without the code excerpt below it. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:$/, '');
}
