/** The flags every command that starts a run takes (`start`, `maintenance start`). */
import { CONNECTION_OPTIONS } from './connection-flags';
import { OUTPUT_OPTIONS } from './output';

/** Target, reason, requester, polling, ids, `--wait`, `-o` and the Temporal connection. */
export const RUN_START_OPTIONS = {
  target: { type: 'string' },
  reason: { type: 'string' },
  'requested-by': { type: 'string' },
  'poll-interval': { type: 'string' },
  'workflow-id': { type: 'string' },
  'task-queue': { type: 'string' },
  wait: { type: 'boolean' },
  ...OUTPUT_OPTIONS,
  ...CONNECTION_OPTIONS,
} as const;
