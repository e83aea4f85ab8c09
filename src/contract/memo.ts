/**
 * The memo of a run: who started it and why, the approval decision, the maintenance it belongs
 * to. Written by starters and the workflows, read by the workflows, the CLI and the Web UI. The
 * keys live only here; {@link readMemo} and {@link memoFields} are the typed reader and writer.
 */

/** The memo a leg carries so its record (and audit row) points at its maintenance run. */
export interface MaintenanceLink {
  workflowId: string;
  leg: 'failover' | 'failback';
}

/** The link in a memo value, if it is one. */
function readMaintenanceLink(value: unknown): MaintenanceLink | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { workflowId, leg } = value as Partial<MaintenanceLink>;
  if (typeof workflowId !== 'string' || (leg !== 'failover' && leg !== 'failback')) return undefined;
  return { workflowId, leg };
}

/** Every memo field, by key. */
export interface RunMemo {
  /** Who started the run when not a parent or a schedule (`cli`). */
  startedBy?: string;
  reason?: string;
  requestedBy?: string;
  /** The approval decision of a run whose policy asked for one (with the key that signed it, when signed). */
  approval?: { state: string; by?: string; at?: string; fingerprint?: string };
  /** On a fleet's child: the fleet run's workflow id (the cluster's ledger lets a fleet send once per cluster). */
  fleet?: string;
  /** On a maintenance leg: its maintenance run and which leg. */
  maintenance?: MaintenanceLink;
  /** On a maintenance run: who ended the window, and when. */
  maintenanceDone?: { by: string; at?: string };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The memo's fields whose values have the documented shape; anything else is left out. */
export function readMemo(memo: Record<string, unknown> | undefined): RunMemo {
  const raw = memo ?? {};
  const approval = raw.approval as RunMemo['approval'] | undefined;
  const done = raw.maintenanceDone as RunMemo['maintenanceDone'] | undefined;
  const maintenance = readMaintenanceLink(raw.maintenance);
  return {
    ...(text(raw.startedBy) !== undefined ? { startedBy: text(raw.startedBy) } : {}),
    ...(text(raw.reason) !== undefined ? { reason: text(raw.reason) } : {}),
    ...(text(raw.requestedBy) !== undefined ? { requestedBy: text(raw.requestedBy) } : {}),
    ...(typeof approval === 'object' && approval !== null && text(approval.state) ? { approval } : {}),
    ...(text(raw.fleet) !== undefined ? { fleet: text(raw.fleet) } : {}),
    ...(maintenance ? { maintenance } : {}),
    ...(typeof done === 'object' && done !== null && text(done.by) ? { maintenanceDone: done } : {}),
  };
}

/** The memo fields to write, as the SDK takes them (`memo` at start, `upsertMemo` later); undefined values left out. */
export function memoFields(fields: RunMemo): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
