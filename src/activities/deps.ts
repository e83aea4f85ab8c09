/** What the activities need from the worker process: vCenter clients, Temporal, the outcome recorder. */
import type { Client } from '@temporalio/client';
import type { TargetPolicy } from '../contract/policy';
import type { VcenterClient } from '../vcenter';
import type { OutcomeRecorder } from '../contract';
import type { ReplayDeps } from './replay-histories';
import type { WebhookConfig } from './webhook';

/** Dependencies injected into the activity functions by the worker (or a test). */
export interface ActivityDeps {
  /** The cached client of a configured target (one session per target per worker). */
  clientFor(target: string): VcenterClient;
  /**
   * Where each target's cluster answers (configured URL, per-node URLs, failover IPs learned) and a
   * client at each address; the worker always sets it. Without it, a target is read only at
   * `clientFor`'s address and a failover to a failover IP cannot be followed (preflight refuses it).
   */
  addresses?: TargetAddressing;
  /** The target's policy from the targets file; throws `UnknownTargetError` for an unconfigured target. */
  policyFor(target: string): TargetPolicy;
  /** Every configured target, in file order. */
  targetNames(): string[];
  /** Temporal: to name the run that holds a busy target, and to reach the clusters' ledgers. */
  temporal: Client;
  /**
   * The worker runs as a version of a worker deployment: the clusters' ledgers (which never end)
   * are then started auto-upgrading, so they move to each new build instead of staying pinned.
   */
  versionedDeployment?: boolean;
  /**
   * The task queue the clusters' ledgers are started on: their own, served by the process's
   * ledger worker (see `createFailoverWorker`), so a failover run's local activity waiting for its
   * ledger never waits for a workflow-task slot that failover runs hold.
   */
  ledgerTaskQueue: string;
  recorder: OutcomeRecorder;
  /**
   * The allowed-signers file (from the targets file's `allowedSignersFile`) that signed approvals
   * and requests are verified against; without it no signature is accepted.
   */
  allowedSignersFile?: string;
  /** The ssh-keygen to verify signatures with (default: `ssh-keygen` on PATH). */
  sshKeygen?: string;
  /** The completion webhook, when configured. */
  webhook?: WebhookConfig;
  /**
   * The saved histories and the worker's workflow code, for the gate's replay; the failover worker
   * always sets it. Without it, the gate's replay fails (a gate must never pass without replaying).
   */
  replay?: ReplayDeps;
}

/** What the activities ask of the worker about a target's addresses (the client cache answers). */
export interface TargetAddressing {
  /** The target's URL in the targets file. */
  configuredUrl(target: string): string;
  /** The targets file's per-node URLs of the target (`nodes`). */
  nodeUrls(target: string): Readonly<Record<string, string>> | undefined;
  /** A client of the target at `url` (same credentials, CA and certificate name), cached. */
  clientAt(target: string, url: string): VcenterClient;
  /** Where the target's cluster answered last in this process (the configured URL until it moves). */
  servingUrl(target: string): string;
  /** The cluster answered at `url`: later runs and activities of the target read it there. */
  answeredAt(target: string, url: string): void;
  /** Failover-IP URLs a read showed for the target's nodes, and the cluster's identity then. */
  learn(target: string, identity: string | undefined, urls: readonly string[]): void;
  /** The failover-IP URLs learned for the target so far. */
  learnedUrls(target: string): readonly string[];
  /** The identity (`clusterIdentity`) of the cluster last read through the target, if known. */
  identityOf(target: string): string | undefined;
}
