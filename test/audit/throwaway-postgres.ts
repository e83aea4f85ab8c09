/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temp folder, a free loopback port, the
 * unix socket inside that folder, trust authentication for one test role, and no durability
 * (fsync off) because the data dies with the test. Stopping removes everything it made.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/devtools/dev-server';
import { isExecutable } from '../../src/devtools/temporal-cli';
import { guardProcessEnd } from '../harness/process-end';

const run = promisify(execFile);

/** The variable through which a caller hands the tests an existing server instead. */
export const TEST_POSTGRES_URL_ENV = 'VCHA_TEST_POSTGRES_URL';

/** The superuser role initdb creates; trust authentication means it needs no password. */
export const TEST_ROLE = 'vcha_test';

/** A running cluster. */
export interface ThrowawayPostgres {
  /** `postgres://vcha_test@127.0.0.1:<port>/postgres`. */
  url: string;
  port: number;
  /** The temp folder holding data, socket and log. */
  dir: string;
  /** Stops the server and deletes the folder; calling it again does nothing. */
  stop(): Promise<void>;
}

function hasServerBinaries(dir: string): boolean {
  return isExecutable(path.join(dir, 'initdb')) && isExecutable(path.join(dir, 'pg_ctl'));
}

/** Version folders newest first, comparing numerically so 16 sorts above 9.6. */
function debianBinDirs(root: string): string[] {
  let versions: string[];
  try {
    versions = readdirSync(root);
  } catch {
    return [];
  }
  return versions
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    .map((version) => path.join(root, version, 'bin'));
}

/**
 * The folder holding `initdb` and `pg_ctl`: PATH first (an explicit choice), then Debian's
 * `/usr/lib/postgresql/<version>/bin`, which Debian keeps off PATH.
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const onPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return [...onPath, ...debianBinDirs('/usr/lib/postgresql')].find(hasServerBinaries);
}

const NOT_INSTALLED =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin. ' +
  `Install the server (Debian/Ubuntu: apt-get install postgresql) or set ${TEST_POSTGRES_URL_ENV} to a server the ` +
  'tests may create tables in.';

/** How to run a server binary: as ourselves, or as `postgres` when we are root (initdb refuses root). */
interface Runner {
  command(file: string, args: string[]): [string, string[]];
  owner?: { uid: number; gid: number };
}

function runner(): Runner {
  if (process.getuid?.() !== 0) return { command: (file, args) => [file, args] };
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error(
      'Running as root: initdb refuses root, and there is no `postgres` user to run it as. ' +
        'Create one (the Debian postgresql package does) or run the tests as a normal user.',
    );
  }
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find(isExecutable);
  if (!runuser) throw new Error('Running as root: runuser (util-linux) is needed to start PostgreSQL as `postgres`.');
  return { command: (file, args) => [runuser, ['-u', 'postgres', '--', file, ...args]], owner: { uid, gid } };
}

/** A config value in single quotes, as postgresql.conf wants. */
function confString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').trim().split('\n').slice(-8).join('\n');
  } catch {
    return '(no server log)';
  }
}

function failureText(error: unknown): string {
  const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message?: string };
  return (stderr || stdout || message || String(error)).trim();
}

/** How the cluster's lifetime is tied to this process. */
export interface StartOptions {
  /** Stop the server on exit, SIGINT or SIGTERM if `stop` was not called (default true). */
  stopOnProcessEnd?: boolean;
  /** Extra `postgresql.conf` lines, e.g. `max_connections = 300` for a Temporal cluster. */
  settings?: readonly string[];
}

/** Starts a cluster; rejects with the reason (and the server log) when it cannot. */
export async function startThrowawayPostgres(options: StartOptions = {}): Promise<ThrowawayPostgres> {
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error(NOT_INSTALLED);
  const as = runner();
  const dir = mkdtempSync(path.join(tmpdir(), 'vcha-pg-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  // The server's own cwd: root's home may be unreadable for `postgres`.
  const exec = (tool: string, args: string[]) => {
    const [file, argv] = as.command(path.join(binDir, tool), args);
    return run(file, argv, { cwd: dir, encoding: 'utf8' });
  };
  // Immediate: nothing in a throwaway cluster is worth a clean checkpoint.
  const stopArgs = ['-D', data, '-m', 'immediate', '-w', 'stop'];
  let started = false;
  const stopSync = () => {
    if (started) {
      started = false;
      const [file, argv] = as.command(path.join(binDir, 'pg_ctl'), stopArgs);
      spawnSync(file, argv, { cwd: dir, stdio: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const unguard = options.stopOnProcessEnd === false ? () => {} : guardProcessEnd(stopSync);
  const stop = async () => {
    unguard();
    if (started) {
      started = false;
      await exec('pg_ctl', stopArgs).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (as.owner) chownSync(dir, as.owner.uid, as.owner.gid);
    await exec('initdb', ['-D', data, '-U', TEST_ROLE, '--auth=trust', '--no-sync', '-E', 'UTF8', '--no-locale']).catch(
      (error: unknown) => {
        throw new Error(`initdb failed: ${failureText(error)}`);
      },
    );
    appendFileSync(
      path.join(data, 'postgresql.conf'),
      [
        '',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = ${confString(dir)}`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        ...(options.settings ?? []),
        '',
      ].join('\n'),
    );
    // Another process may take the free port between our probe and the server's bind: try again.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        await exec('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '30', '-o', `-p ${port}`, 'start']);
      } catch (error) {
        const log = logTail(logFile);
        if (attempt < 3 && /could not bind|already in use/i.test(log)) continue;
        throw new Error(`pg_ctl start failed: ${failureText(error)}\n${log}`);
      }
      started = true;
      return { url: `postgres://${TEST_ROLE}@127.0.0.1:${port}/postgres`, port, dir, stop };
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
