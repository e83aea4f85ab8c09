/**
 * The gate's replay (`replaySavedHistories`): every saved history (`test/histories/<release>/*.json`,
 * shipped in the image) replayed on the workflow code this worker runs, so a new build that could
 * not continue runs an older build started fails its gate before it takes any new run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkerOptions } from '@temporalio/worker';

/** One history that did not replay, named `<release>/<name>`. */
export interface HistoryReplayFailure {
  history: string;
  /** The replay error's name, e.g. `DeterminismViolationError`. */
  error: string;
  message: string;
}

/** What the replay found. */
export interface HistoryReplayReport {
  /** How many histories were replayed, failed ones included. */
  replayed: number;
  failed: HistoryReplayFailure[];
}

/** What the activity needs: the saved histories' folder and the worker's own workflow code. */
export interface ReplayDeps {
  historiesDir: string;
  /** The code the worker runs, exactly as it loads it (a prebuilt bundle, or the source bundled once). */
  workflowCode(): Promise<NonNullable<WorkerOptions['workflowBundle']>>;
}

/** The saved histories, `<release>/<name>` each, in name order. */
function savedHistories(dir: string): { name: string; file: string }[] {
  let releases: string[];
  try {
    releases = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    throw ApplicationFailure.nonRetryable(
      `the saved histories folder ${dir} cannot be read: ${(error as Error).message}`,
      'NoSavedHistories',
    );
  }
  return releases
    .flatMap((release) =>
      readdirSync(path.join(dir, release))
        .filter((file) => file.endsWith('.json'))
        .map((file) => ({ name: `${release}/${path.basename(file, '.json')}`, file: path.join(dir, release, file) })),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Creates the activity. */
export function makeReplaySavedHistories(deps: ReplayDeps | undefined) {
  return async function replaySavedHistories(): Promise<HistoryReplayReport> {
    if (!deps) {
      throw ApplicationFailure.nonRetryable('this worker was created without saved histories', 'NoSavedHistories');
    }
    const saved = savedHistories(deps.historiesDir);
    // A gate that replayed nothing would pass any build: an image without its histories fails.
    if (saved.length === 0) {
      throw ApplicationFailure.nonRetryable(`no saved histories in ${deps.historiesDir}`, 'NoSavedHistories');
    }
    const histories = saved.map(({ name, file }) => ({
      workflowId: name,
      history: historyFromJSON(JSON.parse(readFileSync(file, 'utf8'))),
    }));
    const failed: HistoryReplayFailure[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: await deps.workflowCode() }, histories)) {
      replayed += 1;
      Context.current().heartbeat(replayed);
      if (result.error) {
        const error = result.error instanceof Error ? result.error : new Error(String(result.error));
        failed.push({ history: result.workflowId, error: error.name, message: error.message });
      }
    }
    return { replayed, failed };
  };
}
