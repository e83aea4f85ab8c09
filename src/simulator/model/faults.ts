/**
 * Faults of one cluster, as generic rules in the manner of vcsim: which requests (the k-th API
 * request the cluster receives, or an operation, after skipping some), how often, and what happens
 * to them, either before vCenter processes the request (it never takes effect) or after (it takes
 * effect and the answer is lost, late or replaced). The HTTP layer asks for the rule of each
 * request and applies its action; no handler knows about faults. Beside the rules are the ways
 * this vCenter reports things (refusals, the task after a switch, the outage, a hidden failover).
 */
import type { FaultRuleScenario, FaultsScenario } from '../scenario';
import type { VcenterOperation } from '../../vcenter/operations';
import { selectorMatches, type OperationSelector } from './operation-selector';
import type { VapiErrorType } from './vapi-errors';

/** What happens to a request a rule catches. */
export type FaultAction = 'refuse' | 'reset' | 'hang' | 'blackhole' | 'delay' | 'respond';

/** Envoy's plain-text 503 bodies: `no healthy upstream`, or its connection failure to the vAPI endpoint. */
export type EnvoyBody = 'envoy-no-healthy-upstream' | 'envoy-connect-failure';

/** A body a `respond` rule sends instead of the real answer. */
export type FaultBody = 'vapi' | 'html' | EnvoyBody | 'truncated-json' | 'wrong-types';

/** What a client meets while the vCenter service moves between nodes. */
export type OutageStyle = '503' | 'reset' | EnvoyBody | 'blackhole';

/** Outage styles served by a listener that stays open (the others close a port of its own). */
export function outageKeepsListening(style: OutageStyle): boolean {
  return style !== '503' && style !== 'reset';
}

/** One rule, as the model keeps it (plain data, safe to serialise). */
export interface FaultRule {
  /** Only the k-th API request this cluster receives (1-based; reset starts over). */
  request?: number;
  operation: OperationSelector;
  /** Matching requests still let through before the rule starts to apply. */
  skip: number;
  /** Matching requests it still applies to; absent: every one. */
  remaining?: number;
  /** `before`: vCenter never processes the request; `after`: it does, and only the answer is affected. */
  when: 'before' | 'after';
  action: FaultAction;
  /** `delay`: real milliseconds (not scaled), to exercise the client's own timeouts. */
  delayMs: number;
  /** `refuse`: real milliseconds the cluster's port stays closed, from the answer of the request before. */
  refuseMs: number;
  /** `blackhole`: real milliseconds the cluster's address answers nothing at all. */
  blackholeMs: number;
  /** `respond`: the status (default: the real answer's) and the body sent instead. */
  status?: number;
  body?: FaultBody;
  /** `respond` with a `vapi` body: its error type. */
  errorType?: VapiErrorType;
}

/** The current faults of a cluster. */
export interface FaultState {
  rules: FaultRule[];
  failoverRefusal: 'error' | 'failed-task';
  taskAfterSwitch: 'not-found' | 'succeeded';
  outageStyle: OutageStyle;
  failFailoverTask: boolean;
  /**
   * Like some vCenters during a long flush: a running failover is in neither `operations.active`
   * nor the task list; `true` until the switch, a number: for that many simulated ms from the request.
   */
  hideRunningFailover: boolean | number;
  /** Services of the new active node that do not start after a switch (stuck STARTING, or STOPPED). */
  servicesAfterSwitch: Record<string, 'STARTING' | 'STOPPED'>;
  /** Whether (and how) the cluster fails back by itself `timing.failBackMs` after each switch. */
  failBack: 'off' | 'task' | 'silent';
  /** How the address the cluster left (for a node's failover IP, or back) behaves: refused, or a blackhole. */
  oldAddress: 'refuse' | 'blackhole';
}

/** No faults: what a healthy vCenter does. */
export function defaultFaults(): FaultState {
  return {
    rules: [],
    failoverRefusal: 'error',
    taskAfterSwitch: 'not-found',
    outageStyle: '503',
    failFailoverTask: false,
    hideRunningFailover: false,
    servicesAfterSwitch: {},
    failBack: 'off',
    oldAddress: 'refuse',
  };
}

function ruleOf(scenario: FaultRuleScenario): FaultRule {
  // An indexed rule can only ever match one request; an unbounded one applies to every match.
  const remaining = scenario.count ?? (scenario.request !== undefined ? 1 : undefined);
  return {
    ...(scenario.request !== undefined ? { request: scenario.request } : {}),
    operation: scenario.operation ?? '*',
    skip: scenario.skip ?? 0,
    ...(remaining !== undefined ? { remaining } : {}),
    when: scenario.when ?? 'before',
    action: scenario.action,
    delayMs: scenario.delayMs ?? 0,
    refuseMs: scenario.refuseMs ?? 1_000,
    blackholeMs: scenario.blackholeMs ?? 1_000,
    ...(scenario.status !== undefined ? { status: scenario.status } : {}),
    ...(scenario.body !== undefined ? { body: scenario.body } : {}),
    ...(scenario.errorType !== undefined ? { errorType: scenario.errorType } : {}),
  };
}

/** Applies the fields present in `patch` to `faults` in place (the rule list is replaced, not merged). */
export function applyFaultPatch(faults: FaultState, patch: FaultsScenario | undefined): void {
  if (!patch) return;
  if (patch.rules !== undefined) faults.rules = patch.rules.map(ruleOf);
  if (patch.failoverRefusal !== undefined) faults.failoverRefusal = patch.failoverRefusal;
  if (patch.taskAfterSwitch !== undefined) faults.taskAfterSwitch = patch.taskAfterSwitch;
  if (patch.outageStyle !== undefined) faults.outageStyle = patch.outageStyle;
  if (patch.failFailoverTask !== undefined) faults.failFailoverTask = patch.failFailoverTask;
  if (patch.hideRunningFailover !== undefined) faults.hideRunningFailover = patch.hideRunningFailover;
  if (patch.servicesAfterSwitch !== undefined) {
    faults.servicesAfterSwitch = Object.fromEntries(
      Object.entries(patch.servicesAfterSwitch).filter(
        (entry): entry is [string, 'STARTING' | 'STOPPED'] => !!entry[1],
      ),
    );
  }
  if (patch.failBack !== undefined) faults.failBack = patch.failBack;
  if (patch.oldAddress !== undefined) faults.oldAddress = patch.oldAddress;
}

/** Counts one use of a rule, dropping it once used up. */
function use(faults: FaultState, rule: FaultRule): FaultRule {
  if (rule.remaining !== undefined) {
    rule.remaining -= 1;
    if (rule.remaining <= 0) faults.rules.splice(faults.rules.indexOf(rule), 1);
  }
  return { ...rule };
}

/**
 * The rule that applies to the `index`-th request, an `operation`, if any, and uses it up by one.
 * The first rule that matches decides: while it is still skipping, the request goes through.
 */
export function takeRule(faults: FaultState, index: number, operation: VcenterOperation): FaultRule | undefined {
  const rule = faults.rules.find(
    (candidate) =>
      candidate.action !== 'refuse' &&
      (candidate.request === undefined || candidate.request === index) &&
      selectorMatches(candidate.operation, operation),
  );
  if (!rule) return undefined;
  if (rule.skip > 0) {
    rule.skip -= 1;
    return undefined;
  }
  return use(faults, rule);
}

/** The refusal due before the `index`-th request arrives, if any, used up. */
export function takeRefusal(faults: FaultState, index: number): FaultRule | undefined {
  const rule = faults.rules.find((candidate) => candidate.action === 'refuse' && candidate.request === index);
  return rule && use(faults, rule);
}
