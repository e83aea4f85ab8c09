/**
 * The activities of the failover workflow: every I/O the product does (vCenter calls, recording).
 * Built from injected dependencies so the worker and the tests can supply targets and stores.
 */
import type { ActivityType } from '../contract';
import type { ActivityDeps } from './deps';
import { makeCheckCluster } from './check-cluster';
import { makeSetClusterMode } from './cluster-mode';
import { makeFollowFailover } from './follow';
import { makeTriggerFailover } from './legacy-trigger';
import { makeDescribeTargetLock } from './lock';
import { makeAcquireCluster, makeClaimSend, makeFinishCluster } from './ledger';
import { makeIdentifyCluster, makePreflight } from './preflight';
import { makeNotifyOutcome, makeRecordOutcome } from './record';
import { makeReplaySavedHistories } from './replay-histories';
import { makeSendFailover } from './send-failover';
import { validateFailoverInput, validateFleetInput, validateMaintenanceInput } from './validate-input';
import { makeVerifySignature } from './verify-signature';

export type { ActivityDeps } from './deps';
export type { ClusterIdentification, PreflightInput, PreflightReport } from './preflight';
export type { AcquireClusterInput, AcquireClusterResult, ClaimSendInput, FinishClusterInput } from './ledger';
export type { CheckClusterInput, ClusterCheck } from './check-cluster';
export type { SetClusterModeInput, SetClusterModeResult } from './cluster-mode';
export type { SendFailoverInput, SentFailover } from './send-failover';
export type { TriggerInput, TriggerResult } from './legacy-trigger';
export type { FollowFailoverInput, FollowFailoverResult } from './follow';
export type { RecordOutcomeInput, RecordOutcomeResult } from './record';
export type { VerifySignatureInput } from './verify-signature';
export { signBody, SIGNATURE_HEADER, type WebhookConfig } from './webhook';
export type { HistoryReplayFailure, HistoryReplayReport, ReplayDeps } from './replay-histories';
export { VcenterClientCache } from './vcenter-clients';

/** Creates the activity functions registered on the worker. */
export function createActivities(deps: ActivityDeps) {
  return {
    validateFailoverInput,
    validateFleetInput,
    validateMaintenanceInput,
    preflight: makePreflight(deps),
    checkCluster: makeCheckCluster(deps),
    sendFailover: makeSendFailover(deps),
    triggerFailover: makeTriggerFailover(deps),
    followFailover: makeFollowFailover(deps),
    recordOutcome: makeRecordOutcome(deps),
    notifyOutcome: makeNotifyOutcome(deps),
    describeTargetLock: makeDescribeTargetLock(deps),
    verifySignature: makeVerifySignature(deps),
    identifyCluster: makeIdentifyCluster(deps),
    acquireCluster: makeAcquireCluster(deps),
    claimSend: makeClaimSend(deps),
    finishCluster: makeFinishCluster(deps),
    setClusterMode: makeSetClusterMode(deps),
    // Every configured target, for a fleet run over "all" (the workflow cannot read the worker's file).
    listTargets: () => Promise.resolve(deps.targetNames()),
    replaySavedHistories: makeReplaySavedHistories(deps.replay),
  } satisfies Record<ActivityType, (input: never) => Promise<unknown>>;
}

/** The activity set, for `proxyActivities<FailoverActivities>()` in workflow code. */
export type FailoverActivities = ReturnType<typeof createActivities>;
