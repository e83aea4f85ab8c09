/** The Temporal CLI resolver: its order, its no-rebuild guarantee and its clear failure. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveTemporalCli, TemporalCliNotFoundError } from '../../src/devtools/temporal-cli';

const root = path.resolve(__dirname, '..', '..');

function fakeCli(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'temporal');
  writeFileSync(file, `#!/bin/sh\necho "temporal version ${version}"\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('Temporal CLI resolution', () => {
  it('uses TEMPORAL_CLI_PATH first and fails with one clear sentence when it is wrong', () => {
    const lines: string[] = [];
    assert.throws(
      () => resolveTemporalCli({ env: { TEMPORAL_CLI_PATH: '/nonexistent', PATH: '' }, log: (l) => lines.push(l) }),
      (error: unknown) =>
        error instanceof TemporalCliNotFoundError &&
        /TEMPORAL_CLI_PATH is set to \/nonexistent, which is not an executable file/.test(error.message) &&
        /go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1/.test(error.message),
    );
  });

  it('prefers temporal on PATH over the project-local build, and says what it chose', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'cli-'));
    const onPath = fakeCli(path.join(scratch, 'bin'), 'from-path');
    fakeCli(path.join(scratch, 'project', '.tools', 'bin'), 'local');
    const lines: string[] = [];
    const resolved = resolveTemporalCli({
      env: { PATH: path.dirname(onPath) },
      projectRoot: path.join(scratch, 'project'),
      log: (l) => lines.push(l),
    });
    assert.equal(resolved.source, 'PATH');
    assert.equal(resolved.executable, onPath);
    assert.match(lines.join('\n'), /using .*bin\/temporal \(PATH; temporal version from-path\)/);
  });

  it('reuses the project-local build without rebuilding (no go on PATH needed)', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'cli-'));
    const local = fakeCli(path.join(scratch, '.tools', 'bin'), 'local');
    const resolved = resolveTemporalCli({ env: { PATH: '' }, projectRoot: scratch, log: () => {} });
    assert.deepEqual(resolved, { source: 'project-local', executable: local, version: 'temporal version local' });
  });

  it('fails with install instructions when there is no CLI, no Go and no download allowed', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'cli-'));
    assert.throws(
      () => resolveTemporalCli({ env: { PATH: '' }, projectRoot: scratch, log: () => {}, allowSdkDownload: false }),
      /No Temporal CLI found: install the Temporal CLI/,
    );
  });

  it('makes `npm test` fail at once, not hang, when TEMPORAL_CLI_PATH points nowhere', () => {
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/run-tests.ts'], {
      cwd: root,
      env: { ...process.env, TEMPORAL_CLI_PATH: '/nonexistent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /TEMPORAL_CLI_PATH is set to \/nonexistent/);
    assert.ok(Date.now() - started < 30_000, 'fails in seconds');
  });
});
