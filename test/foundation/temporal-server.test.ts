/** The Temporal server resolver (server and temporal-sql-tool): its order, no rebuilds, one clear failure. */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveTemporalServer, TemporalServerNotFoundError } from '../../src/devtools/temporal-server';

function fakeBinary(dir: string, name: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho "${name} version ${version}"\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('Temporal server resolution', () => {
  it('uses TEMPORAL_SERVER_PATH first and fails with one clear sentence when it is wrong', () => {
    assert.throws(
      () => resolveTemporalServer({ env: { TEMPORAL_SERVER_PATH: '/nonexistent', PATH: '' }, log: () => {} }),
      (error: unknown) =>
        error instanceof TemporalServerNotFoundError &&
        /^TEMPORAL_SERVER_PATH is set to \/nonexistent, which is not an executable file; .*go install go\.temporal\.io\/server\/cmd\/server@v1\.29\.1.*\.$/.test(
          error.message,
        ),
    );
  });

  it('takes each binary from its own variable, then PATH, then the project-local build, and says what it chose', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'server-'));
    const explicit = fakeBinary(path.join(scratch, 'elsewhere'), 'server', 'explicit');
    const onPath = fakeBinary(path.join(scratch, 'bin'), 'temporal-sql-tool', 'from-path');
    fakeBinary(path.join(scratch, 'project', '.tools', 'bin'), 'temporal-sql-tool', 'local');
    const lines: string[] = [];
    const resolved = resolveTemporalServer({
      env: { TEMPORAL_SERVER_PATH: explicit, PATH: path.dirname(onPath) },
      projectRoot: path.join(scratch, 'project'),
      log: (line) => lines.push(line),
    });
    assert.deepEqual(resolved.server, { source: 'env', executable: explicit, version: 'server version explicit' });
    assert.deepEqual(resolved.sqlTool, {
      source: 'PATH',
      executable: onPath,
      version: 'temporal-sql-tool version from-path',
    });
    assert.match(lines.join('\n'), /temporal-sql-tool: using .*bin\/temporal-sql-tool \(PATH; /);
  });

  it('reuses the project-local builds without rebuilding (no go on PATH needed)', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'server-'));
    const bin = path.join(scratch, '.tools', 'bin');
    const server = fakeBinary(bin, 'temporal-server', '1.29.1');
    const sqlTool = fakeBinary(bin, 'temporal-sql-tool', '1.29.1');
    const resolved = resolveTemporalServer({ env: { PATH: '' }, projectRoot: scratch, log: () => {} });
    assert.equal(resolved.server.source, 'project-local');
    assert.equal(resolved.server.executable, server);
    assert.equal(resolved.sqlTool.executable, sqlTool);
  });

  it('fails with one sentence on how to get the server when nothing is found and there is no Go', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'server-'));
    assert.throws(
      () => resolveTemporalServer({ env: { PATH: '' }, projectRoot: scratch, log: () => {} }),
      (error: unknown) =>
        error instanceof TemporalServerNotFoundError &&
        error.message ===
          'No temporal-server found and none could be built (is Go on PATH?): build it with ' +
            '`GOBIN=$PWD/.tools/bin go install go.temporal.io/server/cmd/server@v1.29.1` (then rename it to ' +
            '.tools/bin/temporal-server), put a temporal-server on PATH, or point TEMPORAL_SERVER_PATH at one.',
    );
  });
});
