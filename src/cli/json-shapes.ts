/**
 * The documented shapes of `--output json`, one per command, as zod schemas: the commands build
 * these types, docs/cli.md describes them and the tests check every document against them. A
 * field may be added in a release; none is removed or changes meaning.
 */
import { z } from 'zod';
import type { AuditRow } from '../audit';
import type { FailoverRecord, LedgerEntry, LedgerHolder } from '../contract';

/** An ISO-8601 time in UTC. */
const isoTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

/** A run's record (the workflow's result or failure details): the fields of `FailoverRecord`. */
const recordJson = z.looseObject({
  target: z.string(),
  planned: z.boolean(),
  dryRun: z.boolean(),
  outcome: z.string(),
  message: z.string(),
  triggered: z.enum(['yes', 'no', 'unknown']),
  startedAt: isoTime,
  finishedAt: isoTime,
  durationMs: z.number(),
  timeline: z.array(z.object({ phase: z.string(), at: isoTime })),
  observations: z.array(z.string()),
});

/** How a run ended: `kind` succeeded/failed (a contract outcome) or other (terminated, timed out…). */
export const runEndingJson = z.strictObject({
  kind: z.enum(['succeeded', 'failed', 'other']),
  /** SUCCEEDED, DRY_RUN_PASSED or the failure type; null for `other`. */
  outcome: z.string().nullable(),
  message: z.string(),
  /** The exit code the command ends with. */
  exitCode: z.number().int(),
  record: recordJson.nullable(),
});
export type RunEndingJson = Omit<z.infer<typeof runEndingJson>, 'record'> & { record: FailoverRecord | null };

/** `start -o json`: the started run; `ending` once it has ended with `--wait`, else null. */
export const startJson = z.strictObject({
  workflowId: z.string(),
  runId: z.string(),
  namespace: z.string(),
  taskQueue: z.string(),
  webUiUrl: z.string(),
  input: z.looseObject({ target: z.string(), planned: z.boolean() }),
  ending: runEndingJson.nullable(),
});
export type StartJson = Omit<z.infer<typeof startJson>, 'ending' | 'input'> & {
  input: { target: string; planned: boolean };
  ending: RunEndingJson | null;
};

/** A running run as `status` sees it: the status query merged with the live heartbeat. */
const liveJson = z.strictObject({
  phase: z.string(),
  observation: z.string(),
  /** True when the observation came from the follow activity's heartbeat. */
  observationIsLive: z.boolean(),
  elapsedMs: z.number(),
  target: z.string().nullable(),
  planned: z.boolean().nullable(),
  dryRun: z.boolean().nullable(),
  taskId: z.string().nullable(),
  cancelRequested: z.boolean(),
  timeline: z.array(z.object({ phase: z.string(), at: isoTime })),
});

/** `status -o json`: `live` while the run runs, `ending` once it has ended (the other is null). */
export const statusJson = z.strictObject({
  workflowId: z.string(),
  runId: z.string(),
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, TERMINATED, … */
  status: z.string(),
  startedBy: z.string().nullable(),
  requestedBy: z.string().nullable(),
  webUiUrl: z.string(),
  live: liveJson.nullable(),
  ending: runEndingJson.nullable(),
});
export type StatusJson = Omit<z.infer<typeof statusJson>, 'ending'> & { ending: RunEndingJson | null };

/** `history -o json`: the audit rows, newest first. */
export const historyJson = z.strictObject({
  records: z.array(
    z.looseObject({
      workflowId: z.string(),
      runId: z.string(),
      target: z.string(),
      outcome: z.string(),
      finishedAt: isoTime,
      durationMs: z.number(),
      startedBy: z.string(),
    }),
  ),
});
export interface HistoryJson {
  records: AuditRow[];
}

/** `schedule list -o json`: the failover schedules of the task queue. */
export const scheduleListJson = z.strictObject({
  taskQueue: z.string(),
  schedules: z.array(
    z.strictObject({
      scheduleId: z.string(),
      target: z.string().nullable(),
      paused: z.boolean(),
      note: z.string().nullable(),
      /** The times in the `--calendar` syntax, with the time zone. */
      when: z.string(),
      timezone: z.string(),
      overlap: z.string(),
      catchupWindowMs: z.number(),
      nextTimes: z.array(isoTime),
      lastRun: z.strictObject({ workflowId: z.string(), at: isoTime }).nullable(),
    }),
  ),
});
export type ScheduleListJson = z.infer<typeof scheduleListJson>;

/** `list -o json`: failover runs from visibility, newest first. */
export const listJson = z.strictObject({
  query: z.string(),
  failovers: z.array(
    z.strictObject({
      target: z.string().nullable(),
      workflowId: z.string(),
      runId: z.string(),
      /** Temporal's execution status. */
      status: z.string(),
      phase: z.string().nullable(),
      outcome: z.string().nullable(),
      planned: z.boolean().nullable(),
      startedAt: isoTime,
      closedAt: isoTime.nullable(),
      /** Until closed, or until now while it runs. */
      durationMs: z.number(),
      requestedBy: z.string().nullable(),
    }),
  ),
});
export type ListJson = z.infer<typeof listJson>;

/** `check -o json`: every target's readiness, in the order asked; `allReady` decides the exit code. */
export const checkJson = z.strictObject({
  allReady: z.boolean(),
  targets: z.array(
    z.strictObject({
      target: z.string(),
      ready: z.boolean(),
      /** Another run (a failover or a maintenance) holds the target. */
      busy: z.boolean(),
      /** DRY_RUN_PASSED, or the failure type that made it not ready. */
      outcome: z.string(),
      message: z.string(),
      activeNode: z.string().nullable(),
      passiveNode: z.string().nullable(),
      mode: z.string().nullable(),
      healthState: z.string().nullable(),
      /** The ids of the preflight checks that failed, e.g. `witness-up`. */
      failedChecks: z.array(z.string()),
      /** The workflow id of the run that holds a busy target. */
      heldBy: z.string().nullable(),
      /**
       * The last SUCCEEDED failover task vCenter lists (vCenter gives no time of the last role change
       * itself; a fail back without a task does not show): when it ended, by whom, how long ago.
       */
      lastFailover: z
        .strictObject({
          taskId: z.string(),
          endedAt: z.string(),
          user: z.string().nullable(),
          automatic: z.boolean(),
          agoMs: z.number(),
        })
        .nullable(),
      /** The roles changed within the last hour: they may not be stable yet (a cluster can fail back by itself). */
      rolesChangedRecently: z.boolean(),
    }),
  ),
});
export type CheckJson = z.infer<typeof checkJson>;

/** `approve -o json` / `reject -o json`: the decision as the run recorded it. */
export const decisionJson = z.strictObject({
  workflowId: z.string(),
  decision: z.looseObject({
    state: z.enum(['approved', 'rejected']),
    by: z.string(),
    at: isoTime,
  }),
});

/** One entry of a cluster's send ledger (`LedgerEntry`): a failover request from its claim to its settlement. */
const ledgerEntryJson = z.looseObject({
  workflowId: z.string(),
  runId: z.string(),
  target: z.string(),
  claimedAt: isoTime,
  state: z.enum(['claimed', 'withdrawn', 'ended']),
  outcome: z.string().optional(),
  proved: z.boolean().optional(),
  settled: z.looseObject({ by: z.enum(['cluster-state', 'acknowledged']), at: isoTime, detail: z.string() }).optional(),
});

/** `ledger -o json`: a cluster's send ledger; `unresolved` are the entries that refuse a new failover. */
export const ledgerJson = z.strictObject({
  cluster: z.string(),
  ledgerWorkflowId: z.string(),
  targets: z.array(z.string()),
  holder: z
    .looseObject({ workflowId: z.string(), runId: z.string(), type: z.string(), target: z.string(), since: isoTime })
    .nullable(),
  unresolved: z.array(ledgerEntryJson),
  entries: z.array(ledgerEntryJson),
});
export type LedgerJson = Omit<z.infer<typeof ledgerJson>, 'holder' | 'unresolved' | 'entries'> & {
  holder: LedgerHolder | null;
  unresolved: LedgerEntry[];
  entries: LedgerEntry[];
};

/** `acknowledge -o json`: the entry as the ledger settled it. */
export const acknowledgeJson = z.strictObject({ cluster: z.string(), entry: ledgerEntryJson });
export type AcknowledgeJson = { cluster: string; entry: LedgerEntry };

/** `maintenance start -o json`: the started run; `ending` once it has ended with `--wait`, else null. */
export const maintenanceStartJson = z.strictObject({
  workflowId: z.string(),
  runId: z.string(),
  target: z.string(),
  taskQueue: z.string(),
  webUiUrl: z.string(),
  ending: z
    .strictObject({
      /** SUCCEEDED or the failure type (e.g. FailbackNotSent). */
      outcome: z.string(),
      message: z.string(),
      /** The maintenance record, with both legs. */
      record: z.looseObject({ target: z.string(), outcome: z.string() }).nullable(),
    })
    .nullable(),
});
