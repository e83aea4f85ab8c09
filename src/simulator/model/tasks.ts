/** CIS tasks: the long-running operations (failover, mode change) and their wire form. */
import type { LocalizableMessage, VapiError } from './vapi-errors';

/** CisTaskStatus. */
export type TaskStatus = 'PENDING' | 'RUNNING' | 'BLOCKED' | 'SUCCEEDED' | 'FAILED';

/**
 * Progress that advances linearly between two points in time, so it can be read at any moment
 * without a timer ticking in the background.
 */
export interface ProgressWindow {
  total: number;
  from: number;
  to: number;
  startAt: number;
  endAt: number;
  message: LocalizableMessage;
}

/** A task as the model keeps it. */
export interface SimTask {
  id: string;
  service: string;
  operation: string;
  description: LocalizableMessage;
  user: string;
  status: TaskStatus;
  startTime?: number;
  endTime?: number;
  progress?: ProgressWindow;
  error?: VapiError;
}

/** CisTaskInfo as sent on the wire. */
export interface CisTaskInfo {
  description: LocalizableMessage;
  service: string;
  operation: string;
  status: TaskStatus;
  cancelable: boolean;
  user: string;
  start_time?: string;
  end_time?: string;
  progress?: { total: number; completed: number; message: LocalizableMessage };
  error?: VapiError;
}

/** Filter of `POST /api/cis/tasks?action=list` (CisTasksFilterSpec), already validated. */
export interface TaskFilter {
  tasks?: string[];
  services?: string[];
  operations?: string[];
  status?: string[];
  users?: string[];
}

/** Hands out task numbers that are unique across every cluster of one simulator. */
export class TaskIdSequence {
  private last = 0;

  /** A fresh task id for `service`, e.g. `task-17:com.vmware.vcenter.vcha.cluster`. */
  next(service: string): string {
    this.last += 1;
    return `task-${this.last}:${service}`;
  }
}

/** Completed work of a progress window at `now`. */
function completedAt(progress: ProgressWindow, now: number): number {
  const span = progress.endAt - progress.startAt;
  const fraction = span <= 0 ? 1 : Math.min(1, Math.max(0, (now - progress.startAt) / span));
  return progress.from + Math.floor((progress.to - progress.from) * fraction);
}

/** Renders a task as CisTaskInfo at time `now`. */
export function renderTaskInfo(task: SimTask, now: number): CisTaskInfo {
  const info: CisTaskInfo = {
    description: task.description,
    service: task.service,
    operation: task.operation,
    status: task.status,
    cancelable: false,
    user: task.user,
  };
  if (task.startTime !== undefined) info.start_time = new Date(task.startTime).toISOString();
  if (task.endTime !== undefined) info.end_time = new Date(task.endTime).toISOString();
  if (task.progress && task.status !== 'PENDING') {
    const completed = task.status === 'SUCCEEDED' ? task.progress.total : completedAt(task.progress, now);
    info.progress = { total: task.progress.total, completed, message: task.progress.message };
  }
  if (task.error) info.error = task.error;
  return info;
}

/** Moves a PENDING task to RUNNING; false if it had already moved on. */
export function markTaskRunning(task: SimTask, now: number): boolean {
  if (task.status !== 'PENDING') return false;
  task.status = 'RUNNING';
  task.startTime = now;
  return true;
}

/** Ends a task; a SUCCEEDED task's progress is complete, a FAILED one carries `error`. */
export function finishTask(task: SimTask, status: 'SUCCEEDED' | 'FAILED', now: number, error?: VapiError): void {
  task.startTime ??= now;
  task.status = status;
  task.endTime = now;
  if (error) task.error = error;
  if (status === 'SUCCEEDED' && task.progress)
    task.progress = { ...task.progress, from: task.progress.total, to: task.progress.total };
}

/** Keeps memory bounded when a cluster fails over many times in a long benchmark. */
const MAX_TASKS = 200;

/** The tasks one vCenter node knows about. */
export class TaskStore {
  private readonly tasks = new Map<string, SimTask>();

  /** Stores a new task. */
  add(task: SimTask): void {
    if (this.tasks.size >= MAX_TASKS) {
      for (const [id, old] of this.tasks) {
        if (old.status === 'SUCCEEDED' || old.status === 'FAILED') {
          this.tasks.delete(id);
          break;
        }
      }
    }
    this.tasks.set(task.id, task);
  }

  /** The task with `id`, if this node knows it. */
  get(id: string): SimTask | undefined {
    return this.tasks.get(id);
  }

  /** Tasks matching every non-empty list of the filter. */
  list(filter: TaskFilter): SimTask[] {
    const accepts = (values: string[] | undefined, value: string): boolean =>
      !values || values.length === 0 || values.includes(value);
    return [...this.tasks.values()].filter(
      (task) =>
        accepts(filter.tasks, task.id) &&
        accepts(filter.services, task.service) &&
        accepts(filter.operations, task.operation) &&
        accepts(filter.status, task.status) &&
        accepts(filter.users, task.user),
    );
  }

  /** Forgets every task (what a node that just took over knows). */
  clear(): void {
    this.tasks.clear();
  }
}
