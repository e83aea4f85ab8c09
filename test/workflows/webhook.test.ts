/** The optional completion webhook: signed JSON to a receiver, and never a changed outcome when it fails. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { signBody, SIGNATURE_HEADER } from '../../src/activities';
import { onTeardown } from '../harness/temporal';
import { startLab } from '../harness/lab';

interface Received {
  body: string;
  signature?: string;
}

/** A local receiver that answers `status` and remembers what it got. */
async function receiver(status: number): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ body, signature: req.headers[SIGNATURE_HEADER] as string | undefined });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTeardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`, received };
}

describe('completion webhook', { concurrency: true }, () => {
  it('posts the outcome record with an HMAC-SHA256 signature', async () => {
    const hook = await receiver(204);
    const lab = await startLab({ clusters: { hooked: {} }, webhook: { url: hook.url, secret: 's3cret' } });
    const handle = await lab.start({ target: 'hooked', planned: true, dryRun: true, reason: 'CHG-9' });
    await handle.result();
    assert.equal(hook.received.length, 1);
    const [delivery] = hook.received;
    assert.equal(delivery!.signature, signBody(delivery!.body, 's3cret'));
    const payload = JSON.parse(delivery!.body) as {
      type: string;
      record: { workflowId: string; outcome: string; reason: string };
    };
    assert.equal(payload.type, 'vcha.failover.completed');
    assert.deepEqual(
      [payload.record.workflowId, payload.record.outcome, payload.record.reason],
      [handle.workflowId, 'DRY_RUN_PASSED', 'CHG-9'],
    );
  });

  it('retries a failing receiver and still reports the real outcome', async () => {
    const hook = await receiver(500);
    const lab = await startLab({ clusters: { hookBroken: {} }, webhook: { url: hook.url } });
    const result = await (await lab.start({ target: 'hookBroken', planned: true, dryRun: true })).result();
    assert.equal(result.outcome, 'DRY_RUN_PASSED');
    assert.equal(hook.received.length, 3, 'three attempts');
    assert.equal(hook.received[0]!.signature, undefined, 'no signature without a secret');
  });
});
