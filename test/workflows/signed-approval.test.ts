/**
 * Signed approvals on the real dev server and the simulator, with real ed25519 keys made by
 * ssh-keygen and the worker's own verification (docs/approvals.md): four eyes compares verified
 * identities, a second allowed person's signed approval sends exactly one POST, and every bad
 * proof is refused with its reason and nothing sent; the record, the memo and the audit store hold
 * the verified principal and key fingerprint.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { SqliteAuditStore } from '../../src/audit';
import { signStatement, type Unsigned } from '../../src/cli/sign';
import { loadTargetsFile } from '../../src/config';
import type {
  ApprovalRecord,
  ApproveArgs,
  FailoverStatus,
  RejectArgs,
  SignedProof,
  VchaFailoverWorkflow,
} from '../../src/contract';
import { healthyNodes, runFailoverWorker, startLab } from '../harness/lab';
import { makeKeys, writeAllowedSigners, type TestKey } from '../harness/ssh-signers';
import { onTeardown, testEnv } from '../harness/temporal';
import { runCli } from '../cli/run-cli';
import { failureOf, refusal } from './assertions';
import { waitForPhase } from './wait';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';
const DAVE = 'dave@example.com';
/** Long enough for every refusal below, short enough that a run wrongly left waiting fails the test soon. */
const deadlines = { approval: '90s' };

describe('signed approvals', { concurrency: true }, async () => {
  const { dir, keys } = makeKeys(['alice', 'bob', 'carol', 'dave', 'eve'] as const);
  // alice's key is listed twice, as one person with two principals; eve's key is not listed at all.
  const allowedSignersFile = writeAllowedSigners(dir, [
    [ALICE, keys.alice],
    ['alice-alt@example.com', keys.alice],
    [BOB, keys.bob],
    [CAROL, keys.carol],
    [DAVE, keys.dave],
  ]);
  const lab = await startLab({
    clusters: {
      foureyes: { nodes: healthyNodes(1) },
      badproofs: { nodes: healthyNodes(2) },
      unsigned: { nodes: healthyNodes(3) },
      typed: { nodes: healthyNodes(4) },
    },
    runWorker: false,
    allowedSignersFile,
    // Naming the allowed-signers file makes approvals and requests signed by default.
    policy: { forced: 'approval', approval: { approvers: [ALICE, 'alice-alt@example.com', BOB, CAROL] } },
    targetPolicies: { typed: { approval: { signedRequests: false } } },
  });
  const audit = new SqliteAuditStore({ path: path.join(dir, 'audit.sqlite') });
  await audit.migrate();
  onTeardown(() => audit.close());
  await runFailoverWorker({
    taskQueue: lab.taskQueue,
    targets: await loadTargetsFile(lab.targetsFile, { ...process.env, ...lab.targetsEnv }),
    recorder: audit,
  });
  const env = await testEnv();
  const cliEnv = { TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default', VCHA_TASK_QUEUE: lab.taskQueue };

  let sequence = 0;
  const newWorkflowId = (target: string) => `signed-${target}-${process.pid}-${++sequence}-${Date.now()}`;

  /** A forced failover of `target` requested by alice with her signed request. */
  async function startSigned(
    target: string,
    workflowId = newWorkflowId(target),
    by: TestKey = keys.alice,
    signedAt?: Date,
  ) {
    const reason = 'node1 hardware fault';
    const requestProof = await signStatement(
      { action: 'request', workflowId, target, kind: 'forced', signer: ALICE, reason },
      by.key,
      signedAt ? { now: signedAt } : {},
    );
    const handle = await lab.start(
      {
        target,
        planned: false,
        acceptDataLoss: true,
        requestedBy: ALICE,
        reason,
        pollInterval: '1s',
        requestProof,
        deadlines,
      },
      workflowId,
    );
    return handle;
  }

  /** A signed decision on `handle`'s current run. */
  async function proofFor(
    handle: WorkflowHandle<VchaFailoverWorkflow>,
    statement: Partial<Unsigned> & Pick<Unsigned, 'action' | 'signer'>,
    key: TestKey,
    now?: Date,
  ): Promise<SignedProof> {
    const status = await handle.query<FailoverStatus>('status');
    const { runId } = await handle.describe();
    return signStatement(
      {
        workflowId: handle.workflowId,
        runId,
        target: status.target!,
        kind: status.planned ? 'planned' : 'forced',
        ...statement,
      },
      key.key,
      now ? { now } : {},
    );
  }

  const approve = (handle: WorkflowHandle<VchaFailoverWorkflow>, args: ApproveArgs) =>
    handle.executeUpdate<ApprovalRecord, [ApproveArgs]>('approve', { args: [args] });
  const reject = (handle: WorkflowHandle<VchaFailoverWorkflow>, args: RejectArgs) =>
    handle.executeUpdate<ApprovalRecord, [RejectArgs]>('reject', { args: [args] });

  it('refuses the verified requester under either principal and a proof replayed on a second run; another approver sends once', async () => {
    const handle = await startSigned('foureyes');
    const waiting = await waitForPhase(handle, 'AWAITING_APPROVAL');
    assert.equal(waiting.approval?.signed, true);
    assert.equal(waiting.approval?.requestedByIdentity?.principal, ALICE);
    assert.equal(waiting.approval?.requestedByIdentity?.fingerprint, keys.alice.fingerprint);

    const self = await proofFor(handle, { action: 'approve', signer: ALICE }, keys.alice);
    assert.match(
      await refusal(approve(handle, { approver: ALICE, proof: self })),
      /alice@example\.com requested this failover \(signed\) and cannot approve it: someone else must \(four eyes\)/,
    );
    // The same key under another principal is the same person: refused once the worker has seen the key.
    const alias = await proofFor(handle, { action: 'approve', signer: 'alice-alt@example.com' }, keys.alice);
    assert.match(
      await refusal(approve(handle, { approver: 'alice-alt@example.com', proof: alias })),
      new RegExp(
        `key ${escape(keys.alice.fingerprint)} signed this run's request as alice@example\\.com and cannot approve it`,
      ),
    );
    assert.equal(lab.failoverPosts('foureyes'), 0);

    // bob rejects the first run; the workflow id, never sent, may run again.
    const no = await proofFor(handle, { action: 'reject', signer: BOB, reason: 'wait for the window' }, keys.bob);
    const rejected = await reject(handle, { approver: BOB, reason: 'wait for the window', proof: no });
    assert.equal(rejected.byIdentity?.fingerprint, keys.bob.fingerprint);
    const { failure } = await failureOf(handle, 'NotApproved');
    assert.match(failure.message, new RegExp(`bob@example\\.com \\(key ${escape(keys.bob.fingerprint)}\\) rejected`));
    const firstRunId = (await handle.describe()).runId;
    assert.equal(lab.failoverPosts('foureyes'), 0);

    // A second run of the same workflow id: bob's signature names the first run only.
    const again = await startSigned('foureyes', handle.workflowId);
    await waitForPhase(again, 'AWAITING_APPROVAL');
    const { runId } = await again.describe();
    assert.notEqual(runId, firstRunId);
    assert.match(
      await refusal(reject(again, { approver: BOB, reason: 'wait for the window', proof: no })),
      new RegExp(`the signature is for run ${firstRunId} of ${handle.workflowId}, not this run ${runId}`),
    );
    const bobs = await proofFor(again, { action: 'approve', signer: BOB, comment: 'CHG-9' }, keys.bob);
    const decision = await approve(again, { approver: BOB, comment: 'CHG-9', proof: bobs });
    assert.equal(decision.state, 'approved');
    assert.equal(decision.by, BOB);
    assert.equal(decision.byIdentity?.fingerprint, keys.bob.fingerprint);
    const result = await again.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('foureyes'), 1);
    assert.equal(result.approval?.byIdentity?.principal, BOB);
    assert.equal(result.approval?.byIdentity?.fingerprint, keys.bob.fingerprint);
    assert.equal(result.approval?.requestedByIdentity?.fingerprint, keys.alice.fingerprint);
    const memo = (await again.describe()).memo?.approval as { by?: string; fingerprint?: string } | undefined;
    assert.deepEqual([memo?.by, memo?.fingerprint], [BOB, keys.bob.fingerprint]);
    const row = (await audit.list({ target: 'foureyes' })).find((r) => r.runId === runId);
    assert.equal(row?.approvedBy, BOB);
    assert.equal(row?.approverFingerprint, keys.bob.fingerprint);
    assert.equal(row?.requestedBy, ALICE);
    assert.equal(row?.requesterFingerprint, keys.alice.fingerprint);
  });

  it('refuses every bad proof with its reason and sends nothing, then takes a good one', async () => {
    const handle = await startSigned('badproofs');
    await waitForPhase(handle, 'AWAITING_APPROVAL');
    const workflowId = handle.workflowId;
    const refusedWith = async (args: ApproveArgs, pattern: RegExp) =>
      assert.match(await refusal(approve(handle, args)), pattern);

    await refusedWith(
      { approver: BOB },
      new RegExp(
        `the policy of badproofs requires a signed approve: run \`vcha-failover approve ${workflowId} --sign-with <private key>\``,
      ),
    );
    // A key the allowed-signers file does not list for the principal it signs as.
    await refusedWith(
      { approver: BOB, proof: await proofFor(handle, { action: 'approve', signer: BOB }, keys.eve) },
      new RegExp(`key ${escape(keys.eve.fingerprint)} is not allowed to sign as bob@example\\.com`),
    );
    await refusedWith(
      {
        approver: BOB,
        proof: await proofFor(handle, { action: 'approve', signer: BOB, workflowId: 'another-workflow' }, keys.bob),
      },
      new RegExp(`the signature is for workflow another-workflow, not ${workflowId}`),
    );
    await refusedWith(
      {
        approver: BOB,
        proof: await proofFor(handle, { action: 'approve', signer: BOB, runId: 'another-run' }, keys.bob),
      },
      /the signature is for run another-run of .*: a signature counts for one run only/,
    );
    await refusedWith(
      {
        approver: BOB,
        proof: await proofFor(handle, { action: 'reject', signer: BOB, reason: 'no' }, keys.bob),
      },
      /the signature is for a reject, not an approve/,
    );
    await refusedWith(
      {
        approver: BOB,
        proof: await proofFor(handle, { action: 'approve', signer: BOB, target: 'foureyes' }, keys.bob),
      },
      /the signature is for target foureyes, not badproofs/,
    );
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    await refusedWith(
      { approver: BOB, proof: await proofFor(handle, { action: 'approve', signer: BOB }, keys.bob, hourAgo) },
      /the signature expired: signed at .*, more than 10 minutes before the worker checked it/,
    );
    const later = new Date(Date.now() + 30 * 60_000);
    await refusedWith(
      { approver: BOB, proof: await proofFor(handle, { action: 'approve', signer: BOB }, keys.bob, later) },
      /the signature is from the future/,
    );
    const good = await proofFor(handle, { action: 'approve', signer: BOB }, keys.bob);
    // Malformed: a message that is not the canonical text, a damaged signature, a message altered after signing.
    await refusedWith(
      { approver: BOB, proof: { ...good, message: good.message.replace('{', '{ ') } },
      /the signed message is malformed: it is not in canonical form/,
    );
    await refusedWith(
      { approver: BOB, proof: { ...good, signature: 'ssh-ed25519 AAAA' } },
      /not an armored SSH signature/,
    );
    const damaged = good.signature.replace(
      /\n([A-Za-z0-9+/]{10})/,
      (_all, run: string) => `\n${[...run].reverse().join('')}`,
    );
    await refusedWith({ approver: BOB, proof: { ...good, signature: damaged } }, /does not verify over the message/);
    const altered = good.message.replace(/"signedAt":"[^"]+"/, `"signedAt":"${new Date().toISOString()}"`);
    await refusedWith({ approver: BOB, proof: { ...good, message: altered } }, /does not verify over the message/);
    // dave may sign (the allowed-signers file lists him) but is not one of the target's approvers.
    await refusedWith(
      { approver: DAVE, proof: await proofFor(handle, { action: 'approve', signer: DAVE }, keys.dave) },
      /dave@example\.com is not an approver of badproofs \(policy\.approval\.approvers: /,
    );
    // bob's proof sent as carol's approval.
    await refusedWith(
      { approver: CAROL, proof: good },
      /the message is signed as bob@example\.com, but the approver given is carol@example\.com/,
    );

    const status = await handle.query<FailoverStatus>('status');
    assert.equal(status.phase, 'AWAITING_APPROVAL');
    assert.equal(status.approval?.state, 'waiting');
    assert.equal(status.approval?.by, undefined, 'no refused proof is recorded as a decision');
    assert.equal(lab.failoverPosts('badproofs'), 0);

    await approve(handle, {
      approver: CAROL,
      proof: await proofFor(handle, { action: 'approve', signer: CAROL }, keys.carol),
    });
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(result.approval?.by, CAROL);
    assert.equal(lab.failoverPosts('badproofs'), 1);
  });

  it('ends NotApproved with nothing sent when the request is unsigned or signed by a key not allowed', async () => {
    const unsigned = await lab.start({
      target: 'unsigned',
      planned: false,
      acceptDataLoss: true,
      requestedBy: ALICE,
      pollInterval: '1s',
      deadlines,
    });
    const first = await failureOf(unsigned, 'NotApproved');
    assert.match(
      first.failure.message,
      /the forced failover of unsigned cannot be approved: its policy asks for a signed request: start it with `vcha-failover start … --sign-with <private key>`; nothing was sent/,
    );
    const forged = await startSigned('unsigned', undefined, keys.eve);
    const second = await failureOf(forged, 'NotApproved');
    assert.match(
      second.failure.message,
      new RegExp(
        `the signed request was refused: key ${escape(keys.eve.fingerprint)} is not allowed to sign as alice@example\\.com`,
      ),
    );
    // A request's age counts at the run's start: this one was signed 20 minutes before.
    const stale = await startSigned('unsigned', undefined, keys.alice, new Date(Date.now() - 20 * 60_000));
    const third = await failureOf(stale, 'NotApproved');
    assert.match(
      third.failure.message,
      /the signed request was refused: the signature expired: signed at \S+, more than 10 minutes before the run started/,
    );
    assert.equal(lab.failoverPosts('unsigned'), 0);
  });

  it('from the CLI: a typed requester is compared with the verified approver, who is printed', async () => {
    const started = await runCli(
      [
        'start',
        '--target',
        'typed',
        '--forced',
        '--accept-data-loss',
        '--requested-by',
        ALICE,
        '--poll-interval',
        '1s',
      ],
      cliEnv,
    );
    assert.equal(started.code, 0, started.stderr);
    const workflowId = /workflow id: (\S+)/.exec(started.stdout)![1]!;
    const handle = env.client.workflow.getHandle<VchaFailoverWorkflow>(workflowId);
    await waitForPhase(handle, 'AWAITING_APPROVAL');

    const waiting = await runCli(['status', workflowId], cliEnv);
    assert.match(
      waiting.stdout,
      /approval: +waiting \(the policy of typed asks for signed approval of forced failovers\): alice@example\.com or alice-alt@example\.com or bob@example\.com or carol@example\.com but alice@example\.com may approve until \S+ with: vcha-failover approve \S+ --sign-with <private key>/,
    );
    const named = await runCli(['approve', workflowId, '--approver', BOB], cliEnv);
    assert.equal(named.code, 1);
    assert.match(named.stderr, /requires a signed approve: run `vcha-failover approve \S+ --sign-with <private key>`/);
    const self = await runCli(['approve', workflowId, '--approver', ALICE, '--sign-with', keys.alice.key], cliEnv);
    assert.equal(self.code, 1);
    assert.match(self.stderr, /alice@example\.com requested this failover and cannot approve it/);
    assert.equal(lab.failoverPosts('typed'), 0);

    const approved = await runCli(
      ['approve', workflowId, '--approver', BOB, '--sign-with', keys.bob.key, '--comment', 'CHG-10'],
      cliEnv,
    );
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /^Approved \S+ as bob@example\.com at \S+: CHG-10$/m);
    assert.ok(
      approved.stdout.includes(`The worker verified the signature: ${BOB}, key ${keys.bob.fingerprint}.`),
      approved.stdout,
    );
    const result = await handle.result();
    assert.equal(result.outcome, 'SUCCEEDED');
    assert.equal(lab.failoverPosts('typed'), 1);
    assert.equal(result.approval?.requestedByIdentity, undefined);
    const ended = await runCli(['status', workflowId], cliEnv);
    assert.ok(ended.stdout.includes(`approved by ${BOB} (verified, key ${keys.bob.fingerprint}) at `), ended.stdout);

    // Without a requester there is nobody to compare with: no signed approval can show four eyes.
    const nobody = await lab.start({
      target: 'typed',
      planned: false,
      acceptDataLoss: true,
      pollInterval: '1s',
      deadlines,
    });
    const { failure } = await failureOf(nobody, 'NotApproved');
    assert.match(failure.message, /the run names no requester/);
    assert.equal(lab.failoverPosts('typed'), 1);
  });
});

/** `text` as a literal inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
