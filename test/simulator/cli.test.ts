/** The simulator's command line: help, argument errors (exit code 2), start and clean stop. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCliArgs, UsageError } from '../../src/simulator/cli-args';
import { VcenterCaller } from './helpers';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'simulator', 'main.ts');
const NODE_ARGS = ['--import', 'tsx', MAIN];

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('simulator CLI', () => {
  it('prints help and exits 0', () => {
    const result = runCli(['--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Usage: simulator/);
    for (const option of ['--port', '--scenario', '--clusters', '--time-scale', '--layout']) {
      assert.ok(result.stdout.includes(option), option);
    }
  });

  it('reports a bad argument on one line with exit code 2', () => {
    for (const args of [['--port', 'eighty'], ['--bogus'], ['--layout', 'mesh']]) {
      const result = runCli(args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, /^simulator: /);
    }
  });

  it('parses arguments', () => {
    const args = parseCliArgs(['--port', '9000', '--clusters', '3', '--time-scale', '0.01', '--layout', 'shared-port']);
    assert.equal(args.port, 9000);
    assert.deepEqual(args.clusters, ['vc-01', 'vc-02', 'vc-03']);
    assert.equal(args.timeScale, 0.01);
    assert.equal(args.layout, 'shared-port');
    assert.deepEqual(parseCliArgs(['--clusters', 'a,b']).clusters, ['a', 'b']);
    assert.throws(() => parseCliArgs(['--time-scale', '0']), UsageError);
    assert.throws(() => parseCliArgs(['--clusters', 'a b']), UsageError);
    assert.throws(() => parseCliArgs(['--tls-key', 'k.pem']), UsageError);
    assert.throws(() => parseCliArgs(['stray']), UsageError);
  });

  it('starts, prints credentials and URLs, serves, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [...NODE_ARGS, '--clusters', 'one,two', '--time-scale', '0.01', '--password', 'Secret1!'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URLs printed: ${stdout}`)), 15_000);
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          if (/two\s+http:\/\/\S+/.test(stdout)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      assert.match(stdout, /administrator@vsphere\.local/);
      assert.match(stdout, /Secret1!/);
      const url = /one\s+(http:\/\/\S+)/.exec(stdout)?.[1];
      assert.ok(url);
      const vc = new VcenterCaller(url);
      await vc.login('administrator@vsphere.local', 'Secret1!');
      assert.equal((await vc.clusterGet()).status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });
});
