/**
 * Workflow interceptors: every workflow log line carries the run's target (read from the
 * `VchaTarget` search attribute the run sets once its input is valid).
 */
import { workflowInfo, type WorkflowInterceptors } from '@temporalio/workflow';
import { VCHA_TARGET } from '../contract';

/** Registered on the worker and baked into prebuilt bundles. */
export const interceptors = (): WorkflowInterceptors => ({
  outbound: [
    {
      getLogAttributes(input, next) {
        const target = workflowInfo().typedSearchAttributes.get(VCHA_TARGET);
        return next(target === undefined ? input : { ...input, target });
      },
    },
  ],
});
