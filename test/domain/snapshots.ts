/** Cluster snapshots for tests: node1 10.0.0.1, node2 10.0.0.2, witness 10.0.0.3, all UP, HEALTHY. */
import type { ClusterSnapshot } from '../../src/domain/cluster-snapshot';

/** A snapshot with `active` the ACTIVE node (the other PASSIVE); `overrides` replace fields. */
export function clusterSnapshot(
  active: 'node1' | 'node2' = 'node1',
  overrides: Partial<ClusterSnapshot> = {},
): ClusterSnapshot {
  const identity = { node1: '10.0.0.1', node2: '10.0.0.2' } as const;
  const passive = active === 'node1' ? 'node2' : 'node1';
  return {
    observedAt: '2026-01-01T00:00:00.000Z',
    mode: 'ENABLED',
    configState: 'CONFIGURED',
    healthState: 'HEALTHY',
    manualFailoverAllowed: true,
    members: [
      { slot: 'node1', identity: identity.node1, state: 'UP', role: active === 'node1' ? 'ACTIVE' : 'PASSIVE' },
      { slot: 'node2', identity: identity.node2, state: 'UP', role: active === 'node2' ? 'ACTIVE' : 'PASSIVE' },
      { slot: 'witness', identity: '10.0.0.3', state: 'UP', role: 'WITNESS' },
    ],
    activeNode: identity[active],
    passiveNode: identity[passive],
    failoverDisabled: false,
    failoverRunning: false,
    healthMessages: [],
    ...overrides,
  };
}
