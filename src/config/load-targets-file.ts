/**
 * Reads a targets file (JSON, or YAML when it ends in .yaml/.yml; the worker's is `VCHA_TARGETS_FILE`) and resolves
 * it into a {@link TargetRegistry}.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import YAML from 'yaml';
import { ConfigError } from './errors';
import { locateJsonSyntaxError } from './json-syntax-error';
import { parseTargets } from './parse-targets';
import { type TargetRegistry } from './registry';

/**
 * Loads and resolves a targets file; `env` holds the variables its `passwordEnv` entries name. Throws a
 * {@link ConfigError} listing every problem.
 */
export async function loadTargetsFile(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<TargetRegistry> {
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
