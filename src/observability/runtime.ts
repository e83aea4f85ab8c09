/**
 * Installs the Temporal Core runtime of the worker process: redacted JSON logs, and the Prometheus
 * endpoint (`VCHA_METRICS_ADDR`, e.g. `127.0.0.1:9464`) that serves Core's metrics and ours.
 */
import { Runtime, type LogLevel } from '@temporalio/worker';
import type { TargetRegistry } from '../config';
import { SecretRedactor } from '../vcenter/redact';
import { jsonLogger } from './json-log';

/** The Core runtime's logging and metrics, as the worker's settings give them. */
export interface RuntimeSettings {
  /** `VCHA_METRICS_ADDR`: where Prometheus scrapes Core's metrics and ours; off when unset. */
  metricsAddress?: string;
  logLevel: LogLevel;
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
