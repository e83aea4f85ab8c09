/**
 * Replay: histories of the main paths, saved under test/histories/, must replay on the current
 * workflow code without a determinism error. Histories of earlier releases stay as they were
 * recorded: the workflow keeps their steps behind patches. `VCHA_RECORD_HISTORIES=1 npm test --
 * replay` records the paths that have no saved history yet (a new path, or a new release's steps).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import { Worker } from '@temporalio/worker';
import { testEnv, workflowBundle } from '../harness/temporal';
import { startLab } from './lab';

const historiesDir = path.resolve(__dirname, '..', 'histories');

/** A path: the history's name, the cluster it runs on (the target of the same name), and the rest of its input. */
const path_ = (name: string, cluster: string, input: Record<string, unknown> = { planned: true }) => ({
  name,
  cluster,
  input: { target: cluster, ...input },
});
const FOLLOWED = { planned: true, pollInterval: '1s' };
const FORCED = { planned: false, acceptDataLoss: true, pollInterval: '1s' };

const MAIN_PATHS: { name: string; input: Record<string, unknown>; cluster: string }[] = [
  path_('planned-through-outage', 'planned', FOLLOWED),
  path_('forced', 'forced', FORCED),
  path_('dry-run', 'dry', { planned: true, dryRun: true }),
  path_('preflight-rejected', 'disabled'),
  path_('invalid-input', 'planned', { plannned: true }),
  // Since the failover request has a one-attempt activity of its own (patch send-failover-once).
  path_('send-once-planned-through-outage', 'planned', FOLLOWED),
  path_('send-once-forced', 'forced', FORCED),
  path_('send-once-refused', 'refusing'),
  path_('send-once-answer-lost', 'answerLost', FOLLOWED),
  // Since vCenter's own 5xx waits the no-sign window before it counts (patch server-error-watched).
  path_('server-error-watched', 'refusing', { ...FOLLOWED, deadlines: { noSign: '5s' } }),
];

describe('workflow replay', () => {
  if (process.env.VCHA_RECORD_HISTORIES === '1') {
    it('records the main paths', async () => {
      const env = await testEnv();
      const cli = resolveTemporalCli({ allowSdkDownload: false, log: () => {} }).executable!;
      const lab = await startLab({
        clusters: {
          planned: {},
          forced: {},
          dry: {},
          disabled: { mode: 'DISABLED' },
          refusing: {
            faults: { rules: [{ operation: 'cluster.failover', action: 'respond', status: 500, body: 'vapi' }] },
          },
          answerLost: { faults: { rules: [{ operation: 'cluster.failover', when: 'after', action: 'reset' }] } },
        },
      });
      for (const main of MAIN_PATHS.filter(({ name }) => !existsSync(path.join(historiesDir, `${name}.json`)))) {
        const handle = await lab.start(main.input, `replay-${main.name}`);
        await handle.result().catch(() => undefined);
        // The CLI's JSON is the format Temporal documents for saved histories.
        const json = execFileSync(
          cli,
          ['workflow', 'show', '--workflow-id', handle.workflowId, '--output', 'json', '--address', env.address],
          { encoding: 'utf8' },
        );
        writeFileSync(path.join(historiesDir, `${main.name}.json`), json);
      }
    });
  }

  it('replays every saved history without a determinism error', async () => {
    const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json'));
    assert.ok(files.length >= MAIN_PATHS.length, `expected saved histories in ${historiesDir}`);
    const histories = files.map((file) => ({
      workflowId: path.basename(file, '.json'),
      history: historyFromJSON(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8'))),
    }));
    const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories);
    let replayed = 0;
    for await (const result of results) {
      assert.equal(result.error, undefined, `${result.workflowId}: ${String(result.error)}`);
      replayed += 1;
    }
    assert.equal(replayed, files.length);
  });
});
