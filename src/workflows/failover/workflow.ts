/**
 * `vchaFailover`: validate, lock the target, preflight, send the failover request at most once,
 * follow it through its own outage, verify from the cluster state, record the outcome. This entry
 * point only wires the run's handlers; `FailoverRun` owns the status and decides every step.
 */
import { CancellationScope, setHandler } from '@temporalio/workflow';
import {
  approveUpdate,
  rejectUpdate,
  statusQuery,
  type FailoverResult,
  type VchaFailoverInput,
  type VchaFailoverWorkflow,
} from '../../contract';
import { FailoverRun } from './run';

/** Performs one VCHA failover (or a dry run of its checks) on a target configured on the worker. */
export async function vchaFailover(rawInput: VchaFailoverInput): Promise<FailoverResult> {
  const run = new FailoverRun(new Date());
  setHandler(statusQuery, () => run.status);
  setHandler(approveUpdate, (args) => run.decide(args, 'approve'), {
    validator: (args) => run.validateDecision(args, 'approve'),
  });
  setHandler(rejectUpdate, (args) => run.decide(args, 'reject'), {
    validator: (args) => run.validateDecision(args, 'reject'),
  });
  CancellationScope.current().cancelRequested.catch(() => run.noteCancel());
  return run.execute(rawInput);
}

/** Compiles only while the contract's signature is the workflow's own: a change to either fails the build. */
type _SignatureKept = Assert<typeof vchaFailover extends VchaFailoverWorkflow ? true : false>;
type Assert<T extends true> = T;
