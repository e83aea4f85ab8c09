/**
 * Everything that makes up one simulated cluster at a moment, built from its scenario entry in one
 * place: the cluster is created from it and reset to it.
 */
import type { ClusterScenario, UserScenario } from '../scenario';
import type { SimClock } from './clock';
import { buildClusterState, type ClusterState } from './cluster-state';
import { zeroCounters, type SimCounters } from './counters';
import { FailoverHistory } from './failover-timeline';
import { applyFaultPatch, defaultFaults, type FaultState } from './faults';
import { RequestLog, type SequenceCounter } from './request-log';
import { SessionStore } from './sessions';
import { TaskStore, type TaskIdSequence } from './tasks';
import { mergeTiming, type SimTiming } from './timing';
import { UserDirectory } from './users';

/** What a cluster needs from the simulator that owns it. */
export interface SimClusterContext {
  clock: SimClock;
  taskIds: TaskIdSequence;
  logSequence: SequenceCounter;
  admin: { username: string; password: string };
  users: Record<string, UserScenario>;
  timing: SimTiming;
  requestLogCapacity: number;
  /** Where this simulator's clusters' VCHA (`ha_ip`) addresses start (see `HA_NETWORKS`). */
  haNetworkBase: number;
}

/** The mutable parts of one cluster. */
export interface ClusterParts {
  state: ClusterState;
  faults: FaultState;
  timing: SimTiming;
  users: UserDirectory;
  sessions: SessionStore;
  tasks: TaskStore;
  log: RequestLog;
  history: FailoverHistory;
  counters: SimCounters;
}

/** The parts of a cluster exactly as its scenario entry defines them. */
export function partsFromScenario(
  name: string,
  index: number,
  definition: ClusterScenario,
  context: SimClusterContext,
): ClusterParts {
  const faults = defaultFaults();
  applyFaultPatch(faults, definition.faults);
  return {
    state: buildClusterState(name, index, definition, context.clock.now(), context.haNetworkBase),
    faults,
    timing: mergeTiming(context.timing, definition.timing),
    users: new UserDirectory(context.admin, { ...context.users, ...definition.users }),
    sessions: new SessionStore(),
    tasks: new TaskStore(),
    log: new RequestLog(context.requestLogCapacity),
    history: new FailoverHistory(),
    counters: zeroCounters(),
  };
}
