/**
 * `vcha-failover schedule` as processes against the dev server: a second-Sunday schedule in
 * Europe/Berlin is created, listed with its next times, triggered once (the run completes on the
 * lab's worker), paused, unpaused and deleted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VchaFailoverWorkflow } from '../../src/contract';
import { testEnv } from '../harness/temporal';
import { member } from '../harness/lab';
import { startCliLab } from './cli-lab';
import { runCli, type CliResult } from './run-cli';

const SECOND_SUNDAY = 'dayOfWeek=SUN;dayOfMonth=8-14;hour=2;minute=0';
const SCHEDULE_ID = 'vcha-failover-monthly';

/** The block `schedule list` printed for one schedule, or undefined when it is not listed. */
function listedBlock(stdout: string, scheduleId: string): string | undefined {
  return stdout.split('\n\n').find((block) => block.startsWith(`${scheduleId}\n`));
}

/** Berlin wall-clock fields of an instant, read with Intl independently of the CLI's own helpers. */
function inBerlin(instant: Date): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

describe('vcha-failover schedule', async () => {
  const { lab, cliEnv } = await startCliLab({
    monthly: {
      nodes: {
        node1: member('10.31.0.1', 'ACTIVE'),
        node2: member('10.31.0.2', 'PASSIVE'),
        witness: member('10.31.0.3', 'WITNESS'),
      },
    },
  });
  const { client } = await testEnv();
  const cli = async (...args: string[]): Promise<CliResult> => {
    const result = await runCli(args, cliEnv);
    assert.equal(result.code, 0, `${args.join(' ')}\n${result.stdout}${result.stderr}`);
    return result;
  };
  /** Lists until `accept` holds for the listing (listing is eventually consistent). */
  const listUntil = async (accept: (stdout: string) => boolean): Promise<string> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { stdout } = await cli('schedule', 'list');
      if (accept(stdout)) return stdout;
      if (Date.now() > deadline) assert.fail(`schedule list never matched:\n${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  it('creates, lists, triggers, pauses, unpauses and deletes a second-Sunday schedule', async () => {
    const created = await cli(
      'schedule',
      'create',
      '--target',
      'monthly',
      '--calendar',
      SECOND_SUNDAY,
      '--timezone',
      'Europe/Berlin',
      '--note',
      'monthly patch window',
    );
    assert.match(created.stdout, new RegExp(`^Created schedule:\n${SCHEDULE_ID}\n`));

    const listing = await listUntil((stdout) => listedBlock(stdout, SCHEDULE_ID) !== undefined);
    const block = listedBlock(listing, SCHEDULE_ID)!;
    assert.match(
      block,
      new RegExp(`^ {2}target: {3}monthly \\(planned failover, task queue ${lab.taskQueue}\\)$`, 'm'),
    );
    assert.match(block, /^ {2}state: {4}active \(note: monthly patch window\)$/m);
    assert.match(block, new RegExp(`^ {2}when: {5}${SECOND_SUNDAY} \\(Europe/Berlin\\)$`, 'm'));
    assert.match(block, /^ {2}policy: {3}overlap SKIP, catch-up window 10m$/m);
    const next = [...block.matchAll(/^ {2}(?:next:| {5}) {5}Sun \S+ 02:00 Europe\/Berlin \((\S+)\)$/gm)].map(
      (m) => new Date(m[1]!),
    );
    assert.ok(next.length >= 3, `several next times:\n${block}`);
    let previousMonth = '';
    for (const time of next) {
      assert.ok(time.getTime() > Date.now(), `${time.toISOString()} is in the future`);
      const berlin = inBerlin(time);
      assert.equal(berlin.weekday, 'Sun', time.toISOString());
      const day = Number(berlin.day);
      assert.ok(day >= 8 && day <= 14, `${time.toISOString()} is the second Sunday (day ${day})`);
      assert.equal(`${berlin.hour}:${berlin.minute}`, '02:00', time.toISOString());
      assert.notEqual(`${berlin.year}-${berlin.month}`, previousMonth, 'one time per month');
      previousMonth = `${berlin.year}-${berlin.month}`;
    }

    const triggered = await cli('schedule', 'trigger', SCHEDULE_ID);
    const runWorkflowId = /^Triggered schedule \S+: started run (\S+)$/m.exec(triggered.stdout)?.[1] ?? '';
    assert.ok(runWorkflowId.startsWith(`${SCHEDULE_ID}-`), triggered.stdout);
    assert.match(triggered.stdout, /^ {2}Web UI: http:\/\/\S+\/history$/m);
    const outcome = client.workflow.getHandle<VchaFailoverWorkflow>(runWorkflowId).result();

    await cli('schedule', 'pause', SCHEDULE_ID, '--note', 'change freeze');
    const paused = listedBlock(await cli('schedule', 'list').then((r) => r.stdout), SCHEDULE_ID);
    assert.match(paused ?? '', /^ {2}state: {4}PAUSED \(note: change freeze\)$/m);

    const unpaused = await cli('schedule', 'unpause', SCHEDULE_ID);
    assert.match(
      unpaused.stdout,
      // 02:00 in Berlin is 01:00 UTC in winter and 00:00 UTC in summer.
      /^Unpaused schedule vcha-failover-monthly; next time \d{4}-\d\d-\d\dT0[01]:00:00\.000Z\.$/m,
    );
    assert.equal((await client.schedule.getHandle(SCHEDULE_ID).describe()).state.paused, false);

    const deleted = await cli('schedule', 'delete', SCHEDULE_ID);
    assert.match(deleted.stdout, /^Deleted schedule vcha-failover-monthly; runs it already started go on\.$/m);
    await listUntil((stdout) => listedBlock(stdout, SCHEDULE_ID) === undefined);
    const gone = await runCli(['schedule', 'trigger', SCHEDULE_ID], cliEnv);
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr, `vcha-failover schedule trigger: no schedule ${SCHEDULE_ID} in namespace default\n`);

    // The triggered run is a planned failover that completes, recorded as started by the schedule.
    const result = await outcome;
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.planned, true);
    assert.equal(result.reason, `scheduled failover (schedule ${SCHEDULE_ID})`);
    assert.equal(lab.failoverPosts('monthly'), 1);
    assert.equal(
      lab.recorder.records.find((r) => r.workflowId === runWorkflowId)?.startedBy,
      `schedule:${SCHEDULE_ID}`,
    );
  });
});
