/**
 * `fleetFailover`: fails over several targets by running `vchaFailover` children, a bounded number
 * at a time, and stops starting new ones after a failure when asked to.
 */
import {
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import {
  WORKFLOW_TYPES,
  fleetStatusQuery,
  memoFields,
  type FleetFailoverWorkflow,
  type FleetFailoverResult,
  type FleetTargetOutcome,
  type FleetTargetState,
  type FailoverRecord,
} from '../../contract';
import type { FailoverActivities } from '../../activities';
import type { FleetFailoverInput } from '../../contract/input/fleet';
import { childFailure, childInput, runFailoverChild } from '../common/child-failover';
import { validatedOrThrow, validators } from '../common/validation';

/** The child's workflow id: the fleet's id plus the target, so the UI groups them. */
function childWorkflowId(target: string): string {
  return `${workflowInfo().workflowId}/${target}`;
}

/** A child's failure as the target's state, and what its record shows. */
function outcomeOfFailure(error: unknown): Partial<FleetTargetOutcome> & { outcome: FleetTargetState } {
  const failure = childFailure(error);
  // Only the contract's types are outcomes; anything else means the fleet cannot say how it ended.
  return {
    outcome: failure.outcome ?? 'FailoverOutcomeUnknown',
    message: failure.message,
    ...(failure.record ? whatTheRunSaw(failure.record) : {}),
  };
}

/** Listing the configured targets: a quick read of the worker's configuration. */
const LIST_TARGETS: ActivityOptions = { startToCloseTimeout: '30s', retry: { maximumAttempts: 3 } };

/** The cluster, failed checks and holder a target's record shows, for the fleet's status and result. */
function whatTheRunSaw(record: FailoverRecord): Partial<FleetTargetOutcome> {
  const seen = record.before;
  return {
    ...(seen
      ? {
          cluster: {
            activeNode: seen.activeNode,
            passiveNode: seen.passiveNode,
            mode: seen.mode,
            healthState: seen.healthState,
            ...(seen.lastFailover ? { lastFailover: seen.lastFailover } : {}),
          },
        }
      : {}),
    ...(record.failedChecks?.length ? { failedChecks: record.failedChecks.map((c) => c.id) } : {}),
    ...(record.heldBy ? { heldBy: record.heldBy } : {}),
  };
}

/** Fails over every target in `targets` (or every configured one), `concurrency` at a time. */
export async function fleetFailover(rawInput: FleetFailoverInput): Promise<FleetFailoverResult> {
  const validation = await validators().validateFleetInput({ raw: rawInput });
  const input = validatedOrThrow(WORKFLOW_TYPES.fleet, validation);
  const targets =
    input.targets === 'all' ? await proxyActivities<FailoverActivities>(LIST_TARGETS).listTargets() : input.targets;
  const states: FleetTargetOutcome[] = targets.map((target) => ({
    target,
    workflowId: childWorkflowId(target),
    outcome: 'PENDING',
    message: 'waiting for its turn',
  }));
  setHandler(fleetStatusQuery, () => states);

  let running = 0;
  let stopped = false;
  const runOne = async (state: FleetTargetOutcome) => {
    state.outcome = 'RUNNING';
    state.message = 'failing over';
    try {
      const child = childInput({
        target: state.target,
        planned: input.planned,
        acceptDataLoss: input.acceptDataLoss,
        reason: input.reason,
        requestedBy: input.requestedBy,
        pollInterval: input.pollInterval,
        // As written: each child validates them again and fills in its own defaults.
        deadlines: rawInput.deadlines,
        readiness: rawInput.readiness,
        dryRun: input.dryRun ? true : undefined,
      });
      const result = await runFailoverChild(
        state.workflowId,
        child,
        `fleet failover ${workflowInfo().workflowId}`,
        memoFields({ fleet: workflowInfo().workflowId }),
      );
      state.outcome = result.outcome;
      state.message = result.message;
      Object.assign(state, whatTheRunSaw(result));
    } catch (error) {
      if (isCancellation(error)) throw error;
      Object.assign(state, outcomeOfFailure(error));
      if (input.stopOnFailure) stopped = true;
    }
  };

  const inFlight: Promise<void>[] = [];
  for (const state of states) {
    await condition(() => running < input.concurrency);
    if (stopped) break;
    running += 1;
    inFlight.push(runOne(state).finally(() => (running -= 1)));
  }
  await Promise.all(inFlight);

  for (const state of states) {
    if (state.outcome === 'PENDING') {
      state.outcome = 'NOT_STARTED';
      state.message = 'not started: an earlier target failed and stopOnFailure is set';
    }
  }
  const succeeded = states.filter((s) => s.outcome === 'SUCCEEDED' || s.outcome === 'DRY_RUN_PASSED').length;
  const notStarted = states.filter((s) => s.outcome === 'NOT_STARTED').length;
  return { outcomes: states, succeeded, notStarted, failed: states.length - succeeded - notStarted };
}

/** Compiles only while the contract's signature is the workflow's own. */
type _SignatureKept = Assert<typeof fleetFailover extends FleetFailoverWorkflow ? true : false>;
type Assert<T extends true> = T;
