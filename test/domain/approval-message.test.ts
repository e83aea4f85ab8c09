/** The signed message's canonical form and the checks on it, as pure functions (no ssh-keygen, no server). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  APPROVAL_NAMESPACE,
  SIGNATURE_MAX_AGE_MS,
  SIGNATURE_MAX_SKEW_MS,
  canonicalMessage,
  parseMessage,
  proofShapeProblem,
  signedAtProblem,
  statementMismatch,
  type ExpectedStatement,
  type SignedStatement,
} from '../../src/contract';

const statement: SignedStatement = {
  namespace: APPROVAL_NAMESPACE,
  action: 'approve',
  workflowId: 'vcha-failover-lab-01-20260101T000000000Z',
  runId: 'run-1',
  target: 'lab-01',
  kind: 'forced',
  signer: 'bob@example.com',
  comment: 'CHG-1',
  signedAt: '2026-01-01T12:00:00.000Z',
};
const expected: ExpectedStatement = {
  action: 'approve',
  workflowId: statement.workflowId,
  runId: 'run-1',
  target: 'lab-01',
  planned: false,
  signer: 'bob@example.com',
  comment: 'CHG-1',
};

describe('the signed message', () => {
  it('is one line of JSON in a fixed field order, whatever order the fields were given in', () => {
    const reordered = Object.fromEntries(Object.entries(statement).reverse()) as unknown as SignedStatement;
    const text = canonicalMessage(reordered);
    assert.equal(
      text,
      '{"namespace":"vcha-failover-approval@v1","action":"approve","workflowId":"vcha-failover-lab-01-20260101T000000000Z","runId":"run-1","target":"lab-01","kind":"forced","signer":"bob@example.com","comment":"CHG-1","signedAt":"2026-01-01T12:00:00.000Z"}',
    );
    assert.deepEqual(parseMessage(text), { ok: true, statement: JSON.parse(text) as SignedStatement });
  });

  it('reads back only its own canonical text, naming what is wrong', () => {
    const text = canonicalMessage(statement);
    const problem = (value: unknown) => {
      const parsed = parseMessage(value);
      assert.equal(parsed.ok, false, String(value));
      return parsed.ok ? '' : parsed.problem;
    };
    assert.match(problem(text.replace('{', '{ ')), /not in canonical form/);
    assert.match(problem(text.replace('"action":"approve",', '') + ''), /action is missing/);
    assert.match(problem(text.replace('"target"', '"extra":"x","target"')), /unknown field "extra"/);
    assert.match(problem(text.replace(APPROVAL_NAMESPACE, 'git')), /namespace must be "vcha-failover-approval@v1"/);
    assert.match(problem(text.replace('"forced"', '"maybe"')), /kind must be "planned" or "forced"/);
    assert.match(problem(text.replace('2026-01-01T12:00:00.000Z', 'yesterday')), /signedAt must be an ISO UTC time/);
    assert.match(problem('[]'), /not a JSON object/);
    assert.match(problem('{'), /not JSON/);
    assert.match(problem(42), /non-empty string/);
    // Two readings of one text are impossible: a duplicate key is not the canonical text of what it parses to.
    assert.match(problem(text.replace('"target":"lab-01"', '"target":"lab-02","target":"lab-01"')), /canonical/);
  });

  it('counts only for the decision, run, target, kind, signer and words it names', () => {
    assert.equal(statementMismatch(statement, expected), undefined);
    const mismatch = (change: Partial<ExpectedStatement>) => statementMismatch(statement, { ...expected, ...change });
    assert.match(mismatch({ action: 'reject' })!, /the signature is for an approve, not a reject/);
    assert.match(mismatch({ workflowId: 'other' })!, /for workflow vcha-failover-lab-01-\S+, not other/);
    assert.match(
      mismatch({ runId: 'run-2' })!,
      /for run run-1 of .*, not this run run-2: a signature counts for one run only/,
    );
    assert.match(mismatch({ target: 'lab-02' })!, /for target lab-01, not lab-02/);
    assert.match(mismatch({ planned: true })!, /for a forced failover, not a planned one/);
    assert.match(mismatch({ signer: 'carol' })!, /signed as bob@example\.com, but the approver given is carol/);
    assert.match(mismatch({ comment: 'CHG-2' })!, /the comment given is not the one signed/);
    const { runId: _runId, ...request } = statement;
    const asRequest = { ...request, action: 'request' as const, comment: undefined };
    assert.equal(statementMismatch(asRequest, { ...expected, action: 'request', comment: undefined }), undefined);
    assert.match(
      statementMismatch({ ...asRequest, runId: 'run-1' }, { ...expected, action: 'request', comment: undefined })!,
      /a signed request names no runId/,
    );
  });

  it('is refused when older than the bound or later than the skew by the verifying clock', () => {
    const at = Date.parse(statement.signedAt);
    assert.equal(signedAtProblem(statement.signedAt, at), undefined);
    assert.equal(signedAtProblem(statement.signedAt, at + SIGNATURE_MAX_AGE_MS), undefined);
    assert.match(signedAtProblem(statement.signedAt, at + SIGNATURE_MAX_AGE_MS + 1)!, /the signature expired/);
    assert.equal(signedAtProblem(statement.signedAt, at - SIGNATURE_MAX_SKEW_MS), undefined);
    assert.match(signedAtProblem(statement.signedAt, at - SIGNATURE_MAX_SKEW_MS - 1)!, /from the future/);
  });

  it('checks a proof has a message and an armored signature before anything runs', () => {
    const armored = '-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n';
    assert.equal(proofShapeProblem({ message: 'm', signature: armored }), undefined);
    assert.match(proofShapeProblem(undefined)!, /proof must be an object/);
    assert.match(proofShapeProblem({ signature: armored })!, /proof\.message is required/);
    assert.match(proofShapeProblem({ message: 'm', signature: 'ssh-ed25519 AAAA' })!, /not an armored SSH signature/);
    assert.match(proofShapeProblem({ message: 'm', signature: 'x'.repeat(9_000) })!, /longer than 8192/);
  });
});
