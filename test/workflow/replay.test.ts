/**
 * Replay: histories of the main paths, saved under test/histories/, must replay on the current
 * workflow code without a determinism error. `VCHA_RECORD_HISTORIES=1 npm test -- replay` records
 * them afresh (do that only for an intended, compatible change of the workflow).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import { Worker } from '@temporalio/worker';
import { testEnv, workflowBundle } from '../harness/temporal';
import { startLab } from './lab';

const historiesDir = path.resolve(__dirname, '..', 'histories');

const MAIN_PATHS: { name: string; input: Record<string, unknown>; cluster: string }[] = [
  {
    name: 'planned-through-outage',
    cluster: 'planned',
    input: { target: 'planned', planned: true, pollInterval: '1s' },
  },
  {
    name: 'forced',
    cluster: 'forced',
    input: { target: 'forced', planned: false, acceptDataLoss: true, pollInterval: '1s' },
  },
  { name: 'dry-run', cluster: 'dry', input: { target: 'dry', planned: true, dryRun: true } },
  { name: 'preflight-rejected', cluster: 'disabled', input: { target: 'disabled', planned: true } },
  { name: 'invalid-input', cluster: 'planned', input: { target: 'planned', plannned: true } },
];

describe('workflow replay', () => {
  if (process.env.VCHA_RECORD_HISTORIES === '1') {
    it('records the main paths', async () => {
      const env = await testEnv();
      const cli = resolveTemporalCli({ allowSdkDownload: false, log: () => {} }).executable!;
      const lab = await startLab({ clusters: { planned: {}, forced: {}, dry: {}, disabled: { mode: 'DISABLED' } } });
      for (const path_ of MAIN_PATHS) {
        const handle = await lab.start(path_.input, `replay-${path_.name}`);
        await handle.result().catch(() => undefined);
        // The CLI's JSON is the format Temporal documents for saved histories.
        const json = execFileSync(
          cli,
          ['workflow', 'show', '--workflow-id', handle.workflowId, '--output', 'json', '--address', env.address],
          { encoding: 'utf8' },
        );
        writeFileSync(path.join(historiesDir, `${path_.name}.json`), json);
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
