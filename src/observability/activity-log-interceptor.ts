/** Activity interceptor: every activity log line carries the target its input names. */
import type { Context } from '@temporalio/activity';
import type { ActivityInterceptors } from '@temporalio/worker';

/** Creates the per-execution interceptors that remember the input's `target`. */
export function targetLogInterceptor(_context: Context): ActivityInterceptors {
  let target: string | undefined;
  return {
    inbound: {
      async execute(input, next) {
        const first = input.args[0] as { target?: unknown; record?: { target?: unknown } } | undefined;
        const named = first?.target ?? first?.record?.target;
        if (typeof named === 'string') target = named;
        return next(input);
      },
    },
    outbound: {
      getLogAttributes(attributes, next) {
        return next(target === undefined ? attributes : { ...attributes, target });
      },
    },
  };
}
