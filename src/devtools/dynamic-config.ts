/**
 * The server dynamic config the project ships (`deploy/temporal/dynamicconfig.yaml`, mounted by the
 * compose server) as `--dynamic-config-value KEY=JSON` flags for `temporal server start-dev`, so
 * the dev servers the tests, the demo and the benchmark start run with the same settings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../paths';

/** The dynamic config file the compose server mounts. */
export const DYNAMIC_CONFIG_FILE = path.join(projectRoot(), 'deploy', 'temporal', 'dynamicconfig.yaml');

/**
 * Reads a dynamic config file into `KEY=JSON` values. Only unconstrained values can become flags
 * (the dev server applies each flag to every namespace and task queue), so an entry with
 * `constraints` or with more than one value is an error that names the key.
 */
export function dynamicConfigValues(file: string = DYNAMIC_CONFIG_FILE): string[] {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`dynamic config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (document === null || document === undefined) return [];
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new Error(`dynamic config ${file}: expected a mapping of setting names to value lists`);
  }
  return Object.entries(document as Record<string, unknown>).map(([key, entries]) => {
    const only = Array.isArray(entries) && entries.length === 1 ? (entries[0] as unknown) : undefined;
    if (typeof only !== 'object' || only === null || !('value' in only)) {
      throw new Error(`dynamic config ${file}: ${key} must be a list with one entry "- value: …"`);
    }
    if ('constraints' in only) {
      throw new Error(`dynamic config ${file}: ${key} has constraints, which a dev server flag cannot carry`);
    }
    return `${key}=${JSON.stringify(only.value)}`;
  });
}

/** The key of a `KEY=JSON` value. */
export function dynamicConfigKey(value: string): string {
  return value.slice(0, value.indexOf('='));
}
