/**
 * The Temporal steps docker-compose.yml runs, read from the file itself so that the cluster
 * harness runs exactly them: the schema job's script and environment, the server's config
 * template, config location and environment, and the setup job's script and environment. Host
 * paths replace the container paths compose mounts; everything else is as compose passes it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');

/** The compose file the project ships. */
export const COMPOSE_FILE = path.join(root, 'docker-compose.yml');

/** One compose service, as far as these steps read it. */
interface ComposeService {
  image?: string;
  environment?: Record<string, string>;
  entrypoint?: string[];
  volumes?: string[];
}

/** A one-shot job: the shared script it runs with `/bin/sh`, and its environment. */
export interface ComposeJob {
  service: string;
  image: string;
  /** The script on this machine (the file compose mounts into the container). */
  script: string;
  environment: Record<string, string>;
}

/** How compose starts the Temporal server. */
export interface ComposeServer {
  image: string;
  /** The config template on this machine. */
  configTemplate: string;
  /** `TEMPORAL_CONFIG_DIR` (relative to the server's root) and `TEMPORAL_ENVIRONMENT`. */
  configDir: string;
  configEnvironment: string;
  /** The dynamic config file on this machine (the file behind `DYNAMIC_CONFIG_FILE_PATH`). */
  dynamicConfig: string;
  environment: Record<string, string>;
}

/** The three Temporal steps, in the order compose runs them. */
export interface ComposeSteps {
  schema: ComposeJob;
  server: ComposeServer;
  setup: ComposeJob;
}

/** `${VAR:-default}` as compose resolves it with VAR unset; `$$` as the literal `$` it escapes. */
export function composeValue(value: string): string {
  return value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1').replaceAll('$$', '$');
}

function fail(composeFile: string, what: string): never {
  throw new Error(`${composeFile}: ${what}`);
}

/** The host file compose mounts at `containerPath` in `service`. */
function mountedFile(composeFile: string, name: string, service: ComposeService, containerPath: string): string {
  for (const volume of service.volumes ?? []) {
    const [host, target] = volume.split(':');
    if (target === containerPath && host?.startsWith('./')) return path.resolve(path.dirname(composeFile), host);
  }
  return fail(composeFile, `service ${name} mounts no project file at ${containerPath}`);
}

function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [key, composeValue(String(value))]),
  );
}

function job(composeFile: string, services: Record<string, ComposeService>, name: string): ComposeJob {
  const service = services[name] ?? fail(composeFile, `there is no ${name} service`);
  const [shell, script, ...rest] = service.entrypoint ?? [];
  if (shell !== '/bin/sh' || !script || rest.length > 0) {
    fail(
      composeFile,
      `${name} no longer runs one mounted script with /bin/sh (entrypoint ${JSON.stringify(service.entrypoint)})`,
    );
  }
  return {
    service: name,
    image: service.image ?? fail(composeFile, `${name} names no image`),
    script: mountedFile(composeFile, name, service, script),
    environment: environmentOf(service),
  };
}

/** Reads the steps from `composeFile` (the project's by default); throws naming what it misses. */
export function composeSteps(composeFile = COMPOSE_FILE): ComposeSteps {
  const compose = parse(readFileSync(composeFile, 'utf8')) as { services: Record<string, ComposeService> };
  const services = compose.services;
  const temporal = services.temporal ?? fail(composeFile, 'there is no temporal service');
  const environment = environmentOf(temporal);
  const required = (key: string) => environment[key] ?? fail(composeFile, `the temporal service sets no ${key}`);
  const configDir = required('TEMPORAL_CONFIG_DIR');
  const configEnvironment = required('TEMPORAL_ENVIRONMENT');
  // The image's working directory (its server root) is /etc/temporal.
  const configFile = path.posix.join('/etc/temporal', configDir, `${configEnvironment}.yaml`);
  return {
    schema: job(composeFile, services, 'temporal-schema'),
    server: {
      image: temporal.image ?? fail(composeFile, 'the temporal service names no image'),
      configTemplate: mountedFile(composeFile, 'temporal', temporal, configFile),
      configDir,
      configEnvironment,
      dynamicConfig: mountedFile(composeFile, 'temporal', temporal, required('DYNAMIC_CONFIG_FILE_PATH')),
      environment,
    },
    setup: job(composeFile, services, 'temporal-setup'),
  };
}

/**
 * `base` with `overrides` applied, where every overridden key must already be in `base`: a step
 * renamed in compose then fails here instead of silently running with compose's container values.
 */
export function overrideEnvironment(
  what: string,
  base: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>>,
): Record<string, string> {
  const unknown = Object.keys(overrides).filter((key) => !(key in base));
  if (unknown.length > 0) throw new Error(`${what}: compose no longer sets ${unknown.join(', ')}`);
  return { ...base, ...overrides };
}
