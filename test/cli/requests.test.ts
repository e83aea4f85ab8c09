/** What `start` and `schedule create` build from their flags, what `cancel` explains, and the exit codes. */
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { describe, it } from 'node:test';
import { cancelMeaning } from '../../src/cli/commands/cancel';
import { defaultWorkflowId, parseStartArgs } from '../../src/cli/commands/start';
import { EXIT_CODES, EXIT_CODE_TABLE, FAILURE_EXIT_CODES, exitCodeForOutcome } from '../../src/cli/exit-codes';
import { UsageError } from '../../src/cli/io';
import { buildScheduleOptions } from '../../src/cli/commands/schedule/request';
import { cliSettingsFromEnv } from '../../src/cli/settings';
import { FAILURE_TYPES } from '../../src/contract';

const now = new Date('2025-03-09T01:02:03.456Z');

describe('start arguments', () => {
  it('build a planned failover with the OS user as requester and a timestamped workflow id', () => {
    const request = parseStartArgs(
      ['--target', 'vc-lab-01', '--planned', '--reason', 'patching'],
      cliSettingsFromEnv({}),
      now,
    );
    assert.deepEqual(request.input, {
      target: 'vc-lab-01',
      planned: true,
      reason: 'patching',
      requestedBy: userInfo().username,
    });
    assert.equal(request.workflowId, 'vcha-failover-vc-lab-01-20250309T010203.456Z');
    assert.equal(request.workflowId, defaultWorkflowId('vc-lab-01', now));
    assert.equal(request.taskQueue, 'vcha-failover');
    assert.equal(request.wait, false);
    assert.deepEqual(request.memo, { startedBy: 'cli', reason: 'patching', requestedBy: userInfo().username });
  });

  it('build a forced dry run with every option, the task queue from the environment', () => {
    const request = parseStartArgs(
      [
        '--target=lab',
        '--forced',
        '--accept-data-loss',
        '--dry-run',
        '--requested-by',
        'jdoe',
        '--poll-interval',
        '2s',
        '--workflow-id',
        'wf-1',
        '--wait',
      ],
      cliSettingsFromEnv({ VCHA_TASK_QUEUE: 'queue-from-env' }),
      now,
    );
    assert.deepEqual(request.input, {
      target: 'lab',
      planned: false,
      acceptDataLoss: true,
      dryRun: true,
      requestedBy: 'jdoe',
      pollInterval: '2s',
    });
    assert.equal(request.workflowId, 'wf-1');
    assert.equal(request.taskQueue, 'queue-from-env');
    assert.equal(request.wait, true);
    assert.equal(
      parseStartArgs(['--target', 'lab', '--planned', '--task-queue', 'q'], cliSettingsFromEnv({})).taskQueue,
      'q',
    );
  });

  const refused: [string[], RegExp][] = [
    [['--planned'], /^--target is required$/],
    [['--target', 'lab'], /^say --planned \(no data loss\) or --forced --accept-data-loss$/],
    [['--target', 'lab', '--planned', '--forced'], /^choose one of --planned and --forced$/],
    [['--target', 'lab', '--forced'], /^a forced failover can lose data: add --accept-data-loss to confirm$/],
    [['--target', 'lab', '--planned', '--accept-data-loss'], /^--accept-data-loss applies to --forced only$/],
    [['--target', 'lab', '--planned', '--poll-interval', '90s'], /^--poll-interval: must be between 1 s and 60 s/],
    [['--target', 'lab', '--planned', '--poll-interval', 'soon'], /^--poll-interval: "soon" is not a duration/],
    [['--target', '../x', '--planned', '--reason', 'r'.repeat(501)], /^--target: .*; --reason: reason is longer/],
    [['--target', 'lab', '--planned', '--plannned'], /^unknown option '--plannned'$/],
    [['--target', 'lab', '--planned', 'extra'], /^unexpected argument "extra"$/],
  ];
  for (const [argv, expected] of refused) {
    it(`refuse ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseStartArgs(argv, cliSettingsFromEnv({})),
        (error: unknown) => error instanceof UsageError && expected.test(error.message),
      );
    });
  }
});

describe('schedule create arguments', () => {
  it('build a planned failover schedule: SKIP overlap, a 10 minute catch-up window, default id', () => {
    const options = buildScheduleOptions(
      ['--target', 'lab', '--calendar', 'dayOfWeek=SUN;dayOfMonth=8-14;hour=2;minute=0', '--timezone', 'Europe/Berlin'],
      cliSettingsFromEnv({ VCHA_TASK_QUEUE: 'q' }),
    );
    assert.equal(options.scheduleId, 'vcha-failover-lab');
    assert.equal(options.spec.timezone, 'Europe/Berlin');
    assert.equal(options.spec.calendars?.length, 1);
    assert.deepEqual(options.policies, { overlap: 'SKIP', catchupWindow: 600_000 });
    assert.deepEqual(options.action, {
      type: 'startWorkflow',
      workflowType: 'vchaFailover',
      taskQueue: 'q',
      workflowId: 'vcha-failover-lab',
      args: [{ target: 'lab', planned: true, reason: 'scheduled failover (schedule vcha-failover-lab)' }],
      // What the Web UI shows of each scheduled run.
      staticSummary: 'Planned failover of lab — scheduled failover (schedule vcha-failover-lab)',
      staticDetails: [
        '- **Target:** lab',
        '- **Kind:** planned (state flushed first, no data loss)',
        '- **Dry run:** no',
        '- **Reason:** scheduled failover (schedule vcha-failover-lab)',
        '- **Requested by:** (not given)',
        '- **Started through:** schedule vcha-failover-lab',
      ].join('\n'),
    });
    assert.deepEqual(options.state, { paused: false });
  });

  it('take several calendars or cron expressions, an id, a note, paused state and a catch-up window', () => {
    const options = buildScheduleOptions(
      [
        '--target=lab',
        '--calendar=hour=2',
        '--calendar=hour=14',
        '--timezone=UTC',
        '--id=s1',
        '--note=n',
        '--paused',
        '--catchup-window=1h',
        '--reason=monthly',
      ],
      cliSettingsFromEnv({}),
    );
    assert.equal(options.spec.calendars?.length, 2);
    assert.equal(options.policies?.catchupWindow, 3_600_000);
    assert.deepEqual(options.state, { paused: true, note: 'n' });
    assert.equal(options.action.workflowId, 's1');
    assert.deepEqual(options.action.args, [{ target: 'lab', planned: true, reason: 'monthly' }]);
    const cron = buildScheduleOptions(
      ['--target', 'lab', '--cron', '0 2 8-14 * SUN', '--timezone', 'UTC'],
      cliSettingsFromEnv({}),
    );
    assert.deepEqual(cron.spec, { cronExpressions: ['0 2 8-14 * SUN'], timezone: 'UTC' });
  });

  const refused: [string[], RegExp][] = [
    [['--calendar', 'hour=2', '--timezone', 'UTC'], /^--target is required$/],
    [['--target', 'lab', '--timezone', 'UTC'], /^say when: --calendar/],
    [['--target', 'lab', '--calendar', 'hour=2', '--cron', '0 2 * * *', '--timezone', 'UTC'], /^use either/],
    [['--target', 'lab', '--calendar', 'hour=2'], /^--timezone is required$/],
    [['--target', 'lab', '--calendar', 'hour=2', '--timezone', 'Europe/Berln'], /^--timezone: "Europe\/Berln" is not/],
    [
      ['--target', 'lab', '--calendar', 'dayOfWeek=SUN;hour=25', '--timezone', 'UTC'],
      /^--calendar "dayOfWeek=SUN;hour=25": hour: "25" is not an hour/,
    ],
    [['--target', 'lab', '--cron', '0 2 *', '--timezone', 'UTC'], /^--cron "0 2 \*": expected 5 to 7 fields/],
    [['--target', 'lab', '--cron', 'TZ=UTC 0 2 * * *', '--timezone', 'UTC'], /^--cron: give the time zone/],
    [
      ['--target', 'lab', '--calendar', 'hour=2', '--timezone', 'UTC', '--catchup-window', '5s'],
      /^--catchup-window: must be between 10 s/,
    ],
    [['--target', 'bad/name', '--calendar', 'hour=2', '--timezone', 'UTC'], /^--target: target may contain only/],
  ];
  for (const [argv, expected] of refused) {
    it(`refuse ${argv.join(' ')}`, () => {
      assert.throws(
        () => buildScheduleOptions(argv, cliSettingsFromEnv({})),
        (error: unknown) => error instanceof UsageError && expected.test(error.message),
      );
    });
  }
});

describe('exit codes', () => {
  it('give every failure type of the contract its own code, apart from 0, 1 and 2', () => {
    assert.deepEqual(Object.keys(FAILURE_EXIT_CODES), [...FAILURE_TYPES]);
    const codes = EXIT_CODE_TABLE.map((row) => row.code);
    assert.equal(new Set(codes).size, codes.length, 'codes are distinct');
    for (const type of FAILURE_TYPES) assert.ok(exitCodeForOutcome(type) >= 10, type);
    assert.equal(exitCodeForOutcome('PreflightRejected'), 13);
    assert.equal(exitCodeForOutcome('Cancelled'), 18);
    assert.equal(exitCodeForOutcome('SUCCEEDED'), EXIT_CODES.ok);
    assert.equal(exitCodeForOutcome('DRY_RUN_PASSED'), EXIT_CODES.ok);
    assert.equal(exitCodeForOutcome('SomethingNew'), EXIT_CODES.error);
    assert.equal(exitCodeForOutcome('toString'), EXIT_CODES.error);
  });
});

describe('cancel explanations', () => {
  it('before the trigger: Cancelled and nothing sent; from TRIGGERING on: too late', () => {
    assert.match(
      cancelMeaning('PREFLIGHT'),
      /^The run is in PREFLIGHT, before the failover request: the run ends Cancelled/,
    );
    assert.match(cancelMeaning('VALIDATING'), /nothing is sent to vCenter/);
    for (const phase of ['TRIGGERING', 'FAILING_OVER', 'VERIFYING'] as const) {
      assert.match(
        cancelMeaning(phase),
        new RegExp(`^The run is in ${phase}: too late, .*follows the failover to its real end`),
      );
    }
    assert.match(
      cancelMeaning(undefined),
      /^If the run is still before the failover request: .* If it has reached TRIGGERING/,
    );
  });
});
