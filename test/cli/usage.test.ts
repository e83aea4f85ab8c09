/**
 * `--help` for every command and argument errors: help goes to stdout with exit 0; a wrong command
 * line is one line on stderr and exit code 2, before anything connects to Temporal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli as runInProcess } from '../../src/cli/cli';
import { recordingIo } from './fake-io';
import { runCli } from './run-cli';

const COMMANDS = [
  'start',
  'status',
  'list',
  'approve',
  'reject',
  'cancel',
  'history',
  'check',
  'maintenance',
  'maintenance start',
  'maintenance done',
  'schedule',
  'schedule create',
  'schedule list',
  'schedule pause',
  'schedule unpause',
  'schedule trigger',
  'schedule delete',
  'ledger',
  'acknowledge',
];

describe('help', { concurrency: true }, () => {
  for (const command of COMMANDS) {
    it(`vcha-failover ${command} --help`, async () => {
      const io = recordingIo();
      assert.equal(await runInProcess([...command.split(' '), '--help'], io), 0);
      assert.match(io.stdout, new RegExp(`^Usage: vcha-failover ${command} `));
      assert.equal(io.stderr, '');
      const viaHelp = recordingIo();
      assert.equal(await runInProcess(['help', ...command.split(' ')], viaHelp), 0);
      assert.equal(viaHelp.stdout, io.stdout);
    });
  }

  it('vcha-failover --help lists the commands and every exit code', async () => {
    const io = recordingIo();
    assert.equal(await runInProcess(['--help'], io), 0);
    for (const command of ['start', 'status', 'approve', 'reject', 'cancel', 'schedule'])
      assert.match(io.stdout, new RegExp(`\n  ${command} `));
    for (const [code, type] of [
      [10, 'InvalidInput'],
      [11, 'UnknownTarget'],
      [12, 'TargetBusy'],
      [13, 'PreflightRejected'],
      [14, 'NotAuthorized'],
      [15, 'FailoverFailed'],
      [16, 'FailoverOutcomeUnknown'],
      [17, 'FailoverNotHealthy'],
      [18, 'Cancelled'],
    ] as const) {
      assert.match(io.stdout, new RegExp(`\n +${code}  the run ended ${type}\n`));
    }
  });

  it('vcha-failover --help names every command that takes -o json, and only those', async () => {
    const io = recordingIo();
    assert.equal(await runInProcess(['--help'], io), 0);
    const line = /-o json \(one JSON document on stdout\): ([^.]*)\./.exec(io.stdout.replace(/\n(?!\n)/g, ' '))?.[1];
    const listed = line?.split(', ') ?? [];
    const offering: string[] = [];
    for (const command of COMMANDS) {
      const help = recordingIo();
      await runInProcess([...command.split(' '), '--help'], help);
      if (/-o, --output <format>/.test(help.stdout)) offering.push(command);
    }
    assert.deepEqual([...listed].sort(), [...offering].sort());
    assert.equal(listed.length, 12);
  });

  it('the real entry point prints help and exits 0', async () => {
    const result = await runCli(['start', '--help']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: vcha-failover start --target <name>/);
  });
});

describe('argument errors', { concurrency: true }, () => {
  const cases: [string[], string][] = [
    [
      [],
      'vcha-failover: missing command (start, status, list, approve, reject, cancel, history, maintenance, check, schedule, ledger, acknowledge)',
    ],
    [
      ['launch'],
      'vcha-failover: unknown command "launch" (start, status, list, approve, reject, cancel, history, maintenance, check, schedule, ledger, acknowledge)',
    ],
    [['start', '--planned'], 'vcha-failover start: --target is required'],
    [['start', '--target', 'lab', '--forced'], 'vcha-failover start: a forced failover can lose data'],
    [['start', '--target', 'lab', '--planned', '--poll-interval', '0.5s'], 'vcha-failover start: --poll-interval:'],
    [['start', '--target', 'lab', '--planned', '--wiat'], "vcha-failover start: unknown option '--wiat'"],
    [['start', '--target'], "vcha-failover start: option '--target <value>' argument missing"],
    [['status'], 'vcha-failover status: missing <workflow-id>'],
    [['status', 'a', 'b'], 'vcha-failover status: unexpected argument "b"'],
    [['cancel', '--force', 'a'], "vcha-failover cancel: unknown option '--force'"],
    [['schedule'], 'vcha-failover schedule: missing command (create, list, pause, unpause, trigger, delete)'],
    [['schedule', 'remove', 'x'], 'vcha-failover schedule: unknown command "remove"'],
    [
      ['schedule', 'create', '--target', 'lab', '--calendar', 'dayOfWeek=SUN;hour=2;minit=0', '--timezone', 'UTC'],
      'vcha-failover schedule create: --calendar "dayOfWeek=SUN;hour=2;minit=0": unknown field "minit"',
    ],
    [
      ['schedule', 'create', '--target', 'lab', '--calendar', 'hour=2', '--timezone', 'Europe/Berlim'],
      'vcha-failover schedule create: --timezone: "Europe/Berlim" is not a known time zone',
    ],
    [['schedule', 'pause'], 'vcha-failover schedule pause: missing <schedule-id>'],
    [['schedule', 'trigger', 'a', '--now'], "vcha-failover schedule trigger: unknown option '--now'"],
    [['schedule', 'list', 'extra'], 'vcha-failover schedule list: unexpected argument "extra"'],
    [['history', '--limit', 'many'], 'vcha-failover history: --limit: expected a whole number from 1 to 10000'],
    [['history', '-o', 'yaml'], 'vcha-failover history: --output: expected text or json, got "yaml"'],
    [['list', '--limit', '0'], 'vcha-failover list: --limit: expected a whole number from 1 to 1000'],
    [['list', '--target', ' '], 'vcha-failover list: --target: empty name'],
    [['status', 'a', '--tls=maybe'], "vcha-failover status: option '--tls' does not take an argument"],
    [['status', 'a', '--tls', '--tls=false'], 'vcha-failover status: --tls given both on and off'],
    [
      ['status', 'a', '--tls-cert-path', 'c.pem'],
      'vcha-failover status: --tls-cert-path and --tls-key-path go together',
    ],
    [
      ['list', '--tls-disable-host-verification'],
      'vcha-failover list: --tls-disable-host-verification is not supported by the Temporal TypeScript SDK',
    ],
    [
      ['list', '--config-file', '/nonexistent/temporal.toml'],
      'vcha-failover list: --config-file: no file /nonexistent/temporal.toml',
    ],
  ];
  for (const [argv, start] of cases) {
    it(`${argv.join(' ') || '(nothing)'}: one line, exit 2`, async () => {
      const io = recordingIo();
      assert.equal(await runInProcess(argv, io), 2);
      assert.equal(io.stdout, '');
      assert.ok(io.stderr.startsWith(start), io.stderr);
      assert.match(io.stderr, /^[^\n]+ \(see vcha-failover[a-z ]* --help\)\n$/);
    });
  }

  it('an OTEL_EXPORTER_OTLP_ENDPOINT that is not an http(s) URL: one line naming it, exit 2', async () => {
    const io = recordingIo({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', TEMPORAL_ADDRESS: '127.0.0.1:1' } });
    assert.equal(await runInProcess(['list'], io), 2);
    assert.equal(io.stdout, '');
    assert.match(io.stderr, /^vcha-failover list: OTEL_EXPORTER_OTLP_ENDPOINT: expected an http\(s\) URL/);
  });

  it('the real entry point exits 2 with one line, without contacting Temporal', async () => {
    // An address nothing listens on: a connection attempt would fail with exit code 1.
    const result = await runCli(['start', '--target', 'lab', '--forced', '--dry-run'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      'vcha-failover start: a forced failover can lose data: add --accept-data-loss to confirm (see vcha-failover start --help)\n',
    );
  });
});
