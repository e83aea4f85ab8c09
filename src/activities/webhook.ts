/**
 * Optional completion webhook (`VCHA_WEBHOOK_URL` in the worker's settings): POSTs the outcome
 * record as JSON, signed with HMAC-SHA256 when a secret is set. Sent by its own activity with retries; the
 * workflow ignores its failure, so a broken receiver never changes a failover's outcome.
 */
import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { request } from 'undici';
import type { OutcomeRecord } from '../contract';

/** Header carrying `sha256=<hex HMAC of the raw body>`. */
export const SIGNATURE_HEADER = 'x-vcha-signature';

/** Where and how to notify (from `VCHA_WEBHOOK_URL` and `VCHA_WEBHOOK_SECRET`). */
export interface WebhookConfig {
  url: string;
  secret?: string;
  timeoutMs?: number;
}

/** The signature header value for a body. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Posts one outcome; a non-2xx answer or a network error fails the attempt so Temporal retries it. */
export async function postOutcome(config: WebhookConfig, outcome: OutcomeRecord): Promise<void> {
  const body = JSON.stringify({ type: 'vcha.failover.completed', record: outcome });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.secret) headers[SIGNATURE_HEADER] = signBody(body, config.secret);
  const timeout = config.timeoutMs ?? 10_000;
  const response = await request(config.url, {
    method: 'POST',
    body,
    headers,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  await response.body.dump();
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw ApplicationFailure.create({
      type: 'WebhookRejected',
      message: `webhook answered HTTP ${response.statusCode}`,
    });
  }
}
