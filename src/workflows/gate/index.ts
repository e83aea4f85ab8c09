/** The gate a new build passes before it takes new runs: see {@link vchaGate}. */
export { GATE_FAILED, vchaGate } from './gate';
