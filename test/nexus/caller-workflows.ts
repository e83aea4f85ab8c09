/**
 * Workflows of another team's namespace that call the `vcha` Nexus service: the caller side of
 * the cross-namespace test, bundled on their own. Each returns how its operation ended (the
 * result, or the failure chain as the caller sees it) so the test can compare it with what the
 * backing run ended with.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  createNexusServiceClient,
  defineSignal,
  setHandler,
} from '@temporalio/workflow';
import { NexusOperationFailure } from '@temporalio/common';
import {
  vchaNexusService,
  type ApprovalRecord,
  type FailoverResult,
  type FleetFailoverResult,
  type MaintenanceResult,
  type NexusApproveInput,
  type NexusFailoverInput,
  type NexusMaintenanceInput,
  type NexusReadinessInput,
} from '../../src/contract';

/** One failure of the chain under the caller's error. */
export interface SeenCause {
  class: string;
  type?: string | null;
  message: string;
  nonRetryable?: boolean | null;
  details?: unknown[];
}

/** The failure as the caller's workflow code sees it. */
export interface SeenFailure {
  /** The error's class: `NexusOperationFailure` for every failed operation. */
  error: string;
  /** Its causes, outermost first: the first is what a child's `ChildWorkflowFailure.cause` would be. */
  chain: SeenCause[];
}

/** How an operation ended for the caller. */
export interface CallEnding<T> {
  result?: T;
  failure?: SeenFailure;
}

function seen(error: unknown): SeenFailure {
  if (!(error instanceof NexusOperationFailure)) throw error;
  const failure: NexusOperationFailure = error;
  const chain: SeenCause[] = [];
  for (let cause: unknown = failure.cause; cause instanceof Error; cause = cause.cause) {
    chain.push({
      class: cause.name,
      message: cause.message,
      ...(cause instanceof ApplicationFailure
        ? { type: cause.type, nonRetryable: cause.nonRetryable, details: cause.details ?? [] }
        : {}),
    });
  }
  return { error: failure.name, chain };
}

async function ending<T>(call: () => Promise<T>): Promise<CallEnding<T>> {
  try {
    return { result: await call() };
  } catch (error) {
    return { failure: seen(error) };
  }
}

const vcha = (endpoint: string) => createNexusServiceClient({ endpoint, service: vchaNexusService });

/** Fails a target over through the endpoint and waits for the record. */
export async function callFailover(endpoint: string, input: NexusFailoverInput): Promise<CallEnding<FailoverResult>> {
  return ending(() => vcha(endpoint).executeOperation('failover', input));
}

/** Tells {@link callFailoverThenCancel} to cancel its operation. */
export const cancelCall = defineSignal('cancelCall');

/** Starts a failover through the endpoint, then cancels it when signalled and waits for the run's end. */
export async function callFailoverThenCancel(
  endpoint: string,
  input: NexusFailoverInput,
): Promise<CallEnding<FailoverResult>> {
  let cancel = false;
  setHandler(cancelCall, () => {
    cancel = true;
  });
  const scope = new CancellationScope();
  const call = scope.run(() =>
    ending(() =>
      vcha(endpoint).executeOperation('failover', input, { cancellationType: 'WAIT_CANCELLATION_COMPLETED' }),
    ),
  );
  await Promise.race([call, condition(() => cancel)]);
  if (cancel) scope.cancel();
  return call;
}

/** Runs a maintenance through the endpoint and waits for its record. */
export async function callMaintenance(
  endpoint: string,
  input: NexusMaintenanceInput,
): Promise<CallEnding<MaintenanceResult>> {
  return ending(() => vcha(endpoint).executeOperation('maintenance', input));
}

/** Checks targets' readiness through the endpoint. */
export async function callReadiness(
  endpoint: string,
  input: NexusReadinessInput,
): Promise<CallEnding<FleetFailoverResult>> {
  return ending(() => vcha(endpoint).executeOperation('readiness', input));
}

/** Approves a waiting run through the endpoint. */
export async function callApprove(endpoint: string, input: NexusApproveInput): Promise<CallEnding<ApprovalRecord>> {
  return ending(() => vcha(endpoint).executeOperation('approve', input));
}

export { patchVcenterNodeThroughNexus } from '../../examples/nexus-patch-then-failover';
