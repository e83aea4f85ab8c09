/** The four-eyes rule as a pure function: typed names, verified principals and keys. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VerifiedIdentity } from '../../../src/contract';
import { fourEyesProblem } from '../../../src/workflows/failover/four-eyes';

const identity = (principal: string, fingerprint: string): VerifiedIdentity => ({
  principal,
  fingerprint,
  signedAt: '2026-01-01T12:00:00.000Z',
  verifiedAt: '2026-01-01T12:00:01.000Z',
});
const alice = identity('alice@example.com', 'SHA256:alice');
const bob = identity('bob@example.com', 'SHA256:bob');

describe('four eyes', () => {
  it('named approvals: the typed requester may not approve, in any case or spacing; no requester, anyone may', () => {
    assert.match(fourEyesProblem({ approver: ' ALICE ', requestedBy: 'alice', signed: false })!, /ALICE requested/);
    assert.equal(fourEyesProblem({ approver: 'bob', requestedBy: 'alice', signed: false }), undefined);
    assert.equal(fourEyesProblem({ approver: 'bob', signed: false }), undefined);
  });

  it('signed requests: the verified requester is refused by principal and by key', () => {
    const base = { requestedBy: alice.principal, requesterIdentity: alice, signed: true };
    assert.match(fourEyesProblem({ ...base, approver: alice.principal })!, /requested this failover \(signed\)/);
    // alice's key listed under a second principal is still alice.
    const alias = identity('alice-alt@example.com', alice.fingerprint);
    assert.equal(fourEyesProblem({ ...base, approver: alias.principal }), undefined, 'before the key is known');
    assert.match(
      fourEyesProblem({ ...base, approver: alias.principal, approverIdentity: alias })!,
      /key SHA256:alice signed this run's request as alice@example\.com and cannot approve it as alice-alt@example\.com/,
    );
    assert.equal(fourEyesProblem({ ...base, approver: bob.principal, approverIdentity: bob }), undefined);
  });

  it('signed approvals of an unsigned request: compared with the typed name, and refused without one', () => {
    assert.match(
      fourEyesProblem({ approver: 'alice', requestedBy: 'Alice', signed: true })!,
      /requested this failover/,
    );
    assert.equal(
      fourEyesProblem({ approver: bob.principal, approverIdentity: bob, requestedBy: 'alice', signed: true }),
      undefined,
    );
    assert.match(
      fourEyesProblem({ approver: bob.principal, approverIdentity: bob, signed: true })!,
      /names no requester/,
    );
  });
});
