/**
 * Bundle entry for the upgrade test's second build: the product's workflows, except that
 * `vchaFailover` first waits on a short timer that names this build. That extra first command is
 * the kind of change a careless release makes: this code fails replay of every history the real
 * workflow records, so only versioning keeps it away from runs the first build started. The
 * timer's summary in a run's history shows which build ran it.
 */
import { sleep } from '@temporalio/workflow';
import type { FailoverResult, VchaFailoverInput } from '../../../src/contract';
import { vchaFailover as releasedFailover } from '../../../src/workflows';

// Every other workflow unchanged, so that anything routed to this build runs: the cluster ledger
// (AUTO_UPGRADE) moves here once this build is current, and the gate test runs the gate here.
export { fleetFailover, vchaClusterLedger, vchaGate, vchaMaintenance, vchaTargetLock } from '../../../src/workflows';

/** The summary of the timer only this build starts. */
export const NEXT_BUILD_TIMER_SUMMARY = 'next build: timer before the failover';

/** The released `vchaFailover` behind one timer. */
export async function vchaFailover(rawInput: VchaFailoverInput): Promise<FailoverResult> {
  await sleep(10, { summary: NEXT_BUILD_TIMER_SUMMARY });
  return releasedFailover(rawInput);
}
