/**
 * Installs the Temporal Core runtime of the worker process: redacted JSON logs, and the Prometheus
 * endpoint (`VCHA_METRICS_ADDR`, e.g. `127.0.0.1:9464`) that serves Core's metrics and ours.
 */
import { Runtime, type LogLevel } from '@temporalio/worker';
import type { TargetRegistry } from '../config';
import { SecretRedactor } from '../vcenter/redact';
import { jsonLogger } from './json-log';

/** Runtime settings read from the environment. */
export interface RuntimeSettings {
  metricsAddress?: string;
  logLevel: LogLevel;
}

const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Reads `VCHA_METRICS_ADDR` and `VCHA_LOG_LEVEL` (default INFO), naming the variable when one is wrong. */
export function runtimeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const level = (env.VCHA_LOG_LEVEL ?? 'INFO').toUpperCase() as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    throw new Error(`VCHA_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got ${env.VCHA_LOG_LEVEL}`);
  }
  const metricsAddress = env.VCHA_METRICS_ADDR || undefined;
  if (
    metricsAddress &&
    !/^[^\s:]+:\d{1,5}$/.test(metricsAddress) &&
    !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(metricsAddress)
  ) {
    throw new Error(`VCHA_METRICS_ADDR: expected host:port such as 127.0.0.1:9464, got ${metricsAddress}`);
  }
  return { metricsAddress, logLevel: level };
}

/** A redactor that masks every configured target's password. */
export function redactorFor(targets: TargetRegistry): SecretRedactor {
  const redactor = new SecretRedactor();
  for (const name of targets.names()) redactor.add(targets.get(name).password);
  return redactor;
}

/** Installs the runtime; must run before the first connection is made. */
export function installRuntime(settings: RuntimeSettings, redactor: SecretRedactor): Runtime {
  return Runtime.install({
    logger: jsonLogger(redactor, settings.logLevel),
    telemetryOptions: settings.metricsAddress
      ? { metrics: { prometheus: { bindAddress: settings.metricsAddress } } }
      : undefined,
  });
}
