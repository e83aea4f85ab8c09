/**
 * The faults the sweep puts around one vCenter request, as simulator fault rules aimed at the
 * request's place in the run (its k-th request). "Before" means vCenter never processes the
 * request; "after" means it does, and only the answer is lost, late or replaced.
 */
import type { ClusterScenarioInput } from '../../src/simulator';

/** One simulator fault rule. */
export type Rule = NonNullable<NonNullable<ClusterScenarioInput['faults']>['rules']>[number];

/** The client timeouts the sweep's targets use, short so that a late answer is a timeout quickly. */
export const SWEEP_CLIENT_TIMEOUTS = { connectMs: 1_000, headersMs: 1_500, bodyMs: 1_500 };

/** How long a blackhole keeps the address silent: past one request's timeouts, so the next poll meets it too. */
const BLACKHOLE_MS = 3_000;

/**
 * vCenter's own 500 ERROR after it processed the request, aimed at the k-th request or at every
 * request of one operation: for the POST, a failover vCenter started and then erred on.
 */
export function vcenter500After(aim: Pick<Rule, 'request' | 'operation'>): Rule {
  return { ...aim, when: 'after', action: 'respond', status: 500, body: 'vapi', errorType: 'ERROR' };
}

/** Every fault kind, by name, as the rule for the k-th request. */
export const FAULT_KINDS = {
  /** The port is closed when the request is due: the connection is refused, nothing is sent. */
  refused: (k: number): Rule => ({ request: k, action: 'refuse', refuseMs: 1_500 }),
  /** The connection is reset before vCenter processed the request. */
  'reset-before': (k: number): Rule => ({ request: k, action: 'reset' }),
  /** vCenter processed the request, then the connection was reset: the answer is lost. */
  'reset-after': (k: number): Rule => ({ request: k, when: 'after', action: 'reset' }),
  /** vCenter processed the request and answered after the client's timeout. */
  'late-answer': (k: number): Rule => ({
    request: k,
    when: 'after',
    action: 'delay',
    delayMs: SWEEP_CLIENT_TIMEOUTS.headersMs + 1_000,
  }),
  /** A reverse proxy's HTML 502, vCenter never having seen the request. */
  'html-502-before': (k: number): Rule => ({ request: k, action: 'respond', status: 502, body: 'html' }),
  /** A reverse proxy's HTML 502 after vCenter processed the request. */
  'html-502-after': (k: number): Rule => ({ request: k, when: 'after', action: 'respond', status: 502, body: 'html' }),
  /** 503 SERVICE_UNAVAILABLE, not processed. */
  '503': (k: number): Rule => ({
    request: k,
    action: 'respond',
    status: 503,
    body: 'vapi',
    errorType: 'SERVICE_UNAVAILABLE',
  }),
  /** vCenter's own 500 ERROR, not processed. */
  'vapi-500': (k: number): Rule => ({ request: k, action: 'respond', status: 500, body: 'vapi', errorType: 'ERROR' }),
  /** vCenter's own 500 ERROR after it processed the request: for the POST, a failover it started and then erred on. */
  'vapi-500-after': (k: number): Rule => vcenter500After({ request: k }),
  /** The success status with an HTML body, after processing. */
  'malformed-html': (k: number): Rule => ({ request: k, when: 'after', action: 'respond', body: 'html' }),
  /** The success status with truncated JSON, after processing. */
  'malformed-truncated': (k: number): Rule => ({
    request: k,
    when: 'after',
    action: 'respond',
    body: 'truncated-json',
  }),
  /** The success status with every value of the wrong type, after processing. */
  'malformed-types': (k: number): Rule => ({ request: k, when: 'after', action: 'respond', body: 'wrong-types' }),
  /** Envoy's plain-text 503 `no healthy upstream` (vCenter 7/8/9 while its API is down), not processed. */
  'envoy-503-before': (k: number): Rule => ({
    request: k,
    action: 'respond',
    status: 503,
    body: 'envoy-no-healthy-upstream',
  }),
  /** Envoy's plain-text 503 `upstream connect error …` after vCenter processed the request: the answer is lost. */
  'envoy-503-after': (k: number): Rule => ({
    request: k,
    when: 'after',
    action: 'respond',
    status: 503,
    body: 'envoy-connect-failure',
  }),
  /**
   * The address goes silent (no answer, no reset, on every connection, new ones too) for longer than
   * a request's timeouts, before vCenter processed the request: a moved address's blackhole.
   */
  'blackhole-before': (k: number): Rule => ({ request: k, action: 'blackhole', blackholeMs: BLACKHOLE_MS }),
  /** The same blackhole after vCenter processed the request: the answer never comes. */
  'blackhole-after': (k: number): Rule => ({
    request: k,
    when: 'after',
    action: 'blackhole',
    blackholeMs: BLACKHOLE_MS,
  }),
} as const;

/** One fault kind's name. */
export type FaultKind = keyof typeof FAULT_KINDS;

/** Every fault kind, in the matrix's order. */
export const ALL_FAULT_KINDS = Object.keys(FAULT_KINDS) as FaultKind[];

/** The rule that holds the k-th request unanswered after vCenter processed it: the moment to kill the worker. */
export const holdAfterProcessing = (k: number): Rule => ({ request: k, when: 'after', action: 'hang' });
