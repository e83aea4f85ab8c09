/** Scenario files: JSON (`.json`) or YAML (anything else), read and validated as a whole. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ScenarioError, validateScenario, type Scenario } from './scenario';

/** Parses scenario text as JSON or YAML (YAML when `format` is `yaml`). */
export function parseScenario(text: string, format: 'json' | 'yaml', source = 'scenario'): Scenario {
  let value: unknown;
  try {
    value = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ScenarioError(source, [`not valid ${format.toUpperCase()}: ${(error as Error).message}`]);
  }
  return validateScenario(value, source);
}

/** Reads and validates a scenario file; `.json` files are JSON, anything else is read as YAML. */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  const text = await readFile(path, 'utf8');
  const format = extname(path).toLowerCase() === '.json' ? 'json' : 'yaml';
  return parseScenario(text, format, `scenario file ${path}`);
}
