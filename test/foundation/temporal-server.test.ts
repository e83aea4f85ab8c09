/**
 * The Temporal server resolver (server and temporal-sql-tool): the release TEMPORAL_SERVER_VERSION
 * selects, its order, no rebuilds, one clear failure.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  resolveTemporalServer,
  selectedServerVersion,
  TEMPORAL_SERVER_VERSIONS,
  TemporalServerNotFoundError,
} from '../../src/devtools/temporal-server';

function fakeBinary(dir: string, name: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho "${name} version ${version}"\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('Temporal server resolution', () => {
  it('selects the oldest or the newest supported release, the newest by default, and names a bad value', () => {
    assert.deepEqual(TEMPORAL_SERVER_VERSIONS, { oldest: '1.29.1', newest: '1.32.1' });
    assert.equal(selectedServerVersion(undefined), '1.32.1');
    assert.equal(selectedServerVersion('newest'), '1.32.1');
    assert.equal(selectedServerVersion('oldest'), '1.29.1');
    assert.equal(selectedServerVersion('v1.30.4'), '1.30.4');
    assert.throws(
      () => selectedServerVersion('latest'),
      (error: unknown) =>
        error instanceof TemporalServerNotFoundError &&
        error.message ===
          'TEMPORAL_SERVER_VERSION is "latest"; expected oldest, newest or a server release such as 1.29.1.',
    );
  });

  it('uses TEMPORAL_SERVER_PATH first and fails with one clear sentence when it is wrong', () => {
    assert.throws(
      () => resolveTemporalServer({ env: { TEMPORAL_SERVER_PATH: '/nonexistent', PATH: '' }, log: () => {} }),
      (error: unknown) =>
        error instanceof TemporalServerNotFoundError &&
        /^TEMPORAL_SERVER_PATH is set to \/nonexistent, which is not an executable file; .*go install go\.temporal\.io\/server\/cmd\/server@v1\.32\.1.*\.$/.test(
          error.message,
        ),
    );
    const scratch = mkdtempSync(path.join(tmpdir(), 'server-'));
    const other = fakeBinary(scratch, 'temporal-server', '1.29.1');
    assert.throws(
      () => resolveTemporalServer({ env: { TEMPORAL_SERVER_PATH: other, PATH: '' }, log: () => {} }),
      (error: unknown) =>
        error instanceof TemporalServerNotFoundError &&
        error.message ===
          `TEMPORAL_SERVER_PATH is set to ${other}, which is "temporal-server version 1.29.1", not release 1.32.1; ` +
            'point it at a 1.32.1 build, or set TEMPORAL_SERVER_VERSION to the release it is.',
    );
  });

  it('takes each binary from its own variable, then PATH, then the project-local build, and says what it chose', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'server-'));
    const explicit = fakeBinary(path.join(scratch, 'elsewhere'), 'server', '1.29.1');
    const onPath = fakeBinary(path.join(scratch, 'bin'), 'temporal-sql-tool', '1.29.1');
    fakeBinary(path.join(scratch, 'project', '.tools', 'bin'), 'temporal-sql-tool', '1.29.1');
    const lines: string[] = [];
    const resolved = resolveTemporalServer({
      env: { TEMPORAL_SERVER_VERSION: 'oldest', TEMPORAL_SERVER_PATH: explicit, PATH: path.dirname(onPath) },
      projectRoot: path.join(scratch, 'project'),
      log: (line) => lines.push(line),
    });
    assert.equal(resolved.release, '1.29.1');
    assert.deepEqual(resolved.server, { source: 'env', executable: explicit, version: 'server version 1.29.1' });
    assert.deepEqual(resolved.sqlTool, {
      source: 'PATH',
      executable: onPath,
      version: 'temporal-sql-tool version 1.29.1',
    });
    assert.match(lines.join('\n'), /temporal-sql-tool: using .*bin\/temporal-sql-tool \(PATH; /);
  });

  it('keeps the releases apart: a binary of another release on PATH or in .tools/bin is passed over', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'server-'));
    const bin = path.join(scratch, '.tools', 'bin');
    fakeBinary(path.join(scratch, 'path'), 'temporal-server', '1.29.1');
    fakeBinary(bin, 'temporal-server', '1.29.1');
    const newest = fakeBinary(bin, 'temporal-server-1.32.1', '1.32.1');
    fakeBinary(bin, 'temporal-sql-tool-1.32.1', '1.32.1');
    const lines: string[] = [];
    const resolved = resolveTemporalServer({
      env: { PATH: path.join(scratch, 'path') },
      projectRoot: scratch,
      log: (line) => lines.push(line),
    });
    assert.equal(resolved.server.executable, newest);
    assert.equal(resolved.server.source, 'project-local');
    assert.match(
      lines.join('\n'),
      /skipping .*path\/temporal-server on PATH \("temporal-server version 1\.29\.1", not 1\.32\.1\)/,
    );
  });

  it('reuses the project-local builds without rebuilding (no go on PATH needed)', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'server-'));
    const bin = path.join(scratch, '.tools', 'bin');
    // The unversioned names hold a build from before releases were kept side by side.
    const server = fakeBinary(bin, 'temporal-server', '1.29.1');
    const sqlTool = fakeBinary(bin, 'temporal-sql-tool', '1.29.1');
    const resolved = resolveTemporalServer({
      env: { TEMPORAL_SERVER_VERSION: '1.29.1', PATH: '' },
      projectRoot: scratch,
      log: () => {},
    });
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
          'No temporal-server 1.32.1 found and none could be built (is Go on PATH?): build it with ' +
            '`GOBIN=$PWD/.tools/bin go install go.temporal.io/server/cmd/server@v1.32.1` (then rename it to ' +
            '.tools/bin/temporal-server-1.32.1), put a temporal-server of that release on PATH, ' +
            'or point TEMPORAL_SERVER_PATH at one.',
    );
  });
});
