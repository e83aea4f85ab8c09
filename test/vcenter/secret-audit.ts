/**
 * Collects every log line and error a test produces so the test file can assert, at the end, that none of them
 * contains the password, the Basic credentials or a session token.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { type VcenterLogger } from '../../src/vcenter';

/** A recording logger plus an error collector, checked against a list of secrets. */
export class SecretAudit {
  readonly lines: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
  private readonly texts: string[] = [];

  /** A logger that records everything it is given. */
  readonly logger: VcenterLogger = {
    debug: (message, meta) => this.log('debug', message, meta),
    info: (message, meta) => this.log('info', message, meta),
    warn: (message, meta) => this.log('warn', message, meta),
    error: (message, meta) => this.log('error', message, meta),
  };

  /** Records an error's message, JSON form, inspect form and cause chain. */
  recordError(error: unknown): void {
    this.texts.push(inspect(error, { depth: 6 }));
    if (error instanceof Error) {
      this.texts.push(error.message, JSON.stringify(error));
      let cause: unknown = error.cause;
      while (cause instanceof Error) {
        this.texts.push(cause.message);
        cause = cause.cause;
      }
    }
  }

  /** Awaits a promise that must reject, records the error and returns it. */
  async rejection(promise: Promise<unknown>): Promise<unknown> {
    try {
      await promise;
    } catch (error) {
      this.recordError(error);
      return error;
    }
    assert.fail('expected the call to fail');
  }

  /** Fails when any recorded text contains one of the secrets. */
  assertNoSecrets(secrets: readonly string[]): void {
    const texts = [...this.texts, ...this.lines.map((line) => `${line.message} ${JSON.stringify(line.meta ?? {})}`)];
    assert.ok(texts.length > 0, 'nothing was recorded');
    for (const secret of secrets) {
      assert.ok(secret.length >= 6, `secret ${JSON.stringify(secret)} is too short to audit meaningfully`);
      for (const text of texts) assert.ok(!text.includes(secret), `a log line or error leaked a secret: ${text}`);
    }
  }

  private log(level: string, message: string, meta?: Record<string, unknown>): void {
    this.lines.push(meta === undefined ? { level, message } : { level, message, meta });
  }
}
