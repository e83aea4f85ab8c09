/** Preflight: reads the cluster (with its mode) and its operations, and checks every failover rule. */
import { log } from '@temporalio/activity';
import { snapshotCluster, type ClusterSnapshot } from '../domain/cluster-snapshot';
import { evaluatePreflight, type PreflightCheck } from '../domain/preflight-rules';
import type { ActivityDeps } from './deps';
import { clientOf, readFailure } from './failures';
import { withHeartbeats } from './heartbeat';

/** Input of {@link preflight}. */
export interface PreflightInput {
  target: string;
  planned: boolean;
}

/** The cluster as preflight saw it and every rule's verdict. */
export interface PreflightReport {
  snapshot: ClusterSnapshot;
  checks: PreflightCheck[];
}

/** Builds the preflight activity. */
export function makePreflight(deps: ActivityDeps) {
  return async function preflight(input: PreflightInput): Promise<PreflightReport> {
    return withHeartbeats(
      () => readAndCheck(deps, input),
      () => ({ stage: 'reading the cluster' }),
    );
  };
}

async function readAndCheck(deps: ActivityDeps, input: PreflightInput): Promise<PreflightReport> {
  const client = clientOf(deps, input.target);
  try {
    // Partial: the rules use runtime state, roles, mode and health, which need only read privilege and
    // no connection to the management vCenter (placement is not needed).
    const info = await client.getCluster({ partial: true });
    // The cluster info carries the mode; the mode call is only needed when vCenter leaves it unset.
    const mode = info.mode ?? (await client.getMode()).mode;
    const operations = await client.getOperations();
    const snapshot = snapshotCluster(info, { mode, operations, observedAt: new Date() });
    const checks = evaluatePreflight(snapshot, input.planned);
    log.info('preflight evaluated', {
      target: input.target,
      failed: checks.filter((c) => !c.ok).map((c) => c.id),
      activeNode: snapshot.activeNode,
    });
    return { snapshot, checks };
  } catch (error) {
    throw readFailure(input.target, error);
  }
}
