/** The dev-server launcher starts a real server and leaves no process behind when stopped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { startDevServer } from '../../src/devtools/dev-server';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('dev server lifecycle', () => {
  it('registers the search attributes and stops without leaving the process running', async () => {
    const cli = resolveTemporalCli({ allowSdkDownload: false, log: () => {} });
    const server = await startDevServer({ executable: cli.executable! });
    try {
      assert.ok(isAlive(server.pid));
      const connection = await Connection.connect({ address: server.address });
      const response = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      await connection.close();
      assert.ok(response.customAttributes && 'VchaTarget' in response.customAttributes);
    } finally {
      await server.stop();
    }
    assert.equal(isAlive(server.pid), false);
  });
});
