/**
 * Replay, per release: `test/histories/<version>/` holds the histories of the main paths as the
 * release `<version>` (package.json's version when it was cut) recorded them; a saved history is
 * never overwritten or re-recorded.
 *
 * What "that build's code" means here: the current release's own histories replay against the
 * current workflow bundle, and so does every older release's. A pinned run never moves to a newer
 * build, but runs of unversioned workers do (and an operator can move a pinned run to another
 * version), so the current code must still replay every release's steps: changes that alter
 * them stay behind `patched()`. Older releases' own code lives in their git tags and is not
 * rebuilt here; that is the weaker promise the current code's replay already implies.
 *
 * The test fails when: any saved history fails to replay (an accidental non-determinism from a
 * refactor or a dependency upgrade); the current release has no history for a main path yet
 * (`npm run histories:record` records the missing ones, into the current version's folder only,
 * never over an existing file); or a history lies outside a release folder. It also shows it
 * would catch a change: workflow code with one extra first command fails replay of every saved
 * history of the current release.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import { workflowBundleOptions } from '../../src/worker/create-worker';
import { testEnv, workflowBundle } from '../harness/temporal';
import { startLab } from '../harness/lab';

const historiesDir = path.resolve(__dirname, '..', 'histories');
const root = path.resolve(__dirname, '..', '..');
/** The release the current code is: its histories go to `test/histories/<version>/`. */
const currentRelease = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;
const currentDir = path.join(historiesDir, currentRelease);
const RELEASE = /^\d+\.\d+\.\d+$/;

/** A path: the history's name, the cluster it runs on (the target of the same name), and the rest of its input. */
const path_ = (name: string, cluster: string, input: Record<string, unknown> = { planned: true }) => ({
  name,
  cluster,
  input: { target: cluster, ...input },
});
const FOLLOWED = { planned: true, pollInterval: '1s' };
const FORCED = { planned: false, acceptDataLoss: true, pollInterval: '1s' };
/** A refusal is only believed after the no-sign window: the shortest one keeps the recording quick. */
const REFUSED = { planned: true, pollInterval: '1s', deadlines: { noSign: '5s' } };

/** The paths every release records. */
const MAIN_PATHS: { name: string; input: Record<string, unknown>; cluster: string }[] = [
  path_('planned-through-outage', 'planned', FOLLOWED),
  path_('forced', 'forced', FORCED),
  path_('dry-run', 'dry', { planned: true, dryRun: true }),
  path_('preflight-rejected', 'disabled'),
  path_('invalid-input', 'planned', { plannned: true }),
  path_('refused', 'refusing', REFUSED),
  path_('answer-lost', 'answerLost', FOLLOWED),
  // The policy: a forced failover denied before any request, and one whose approval never came.
  path_('policy-denied', 'denied', FORCED),
  path_('approval-expired', 'approval', { ...FORCED, deadlines: { approval: '1s' } }),
];

/** Every saved history, with the release it belongs to. */
function savedHistories(): { release: string; name: string; file: string }[] {
  return readdirSync(historiesDir, { withFileTypes: true }).flatMap((entry) => {
    assert.ok(entry.isDirectory(), `test/histories/${entry.name}: histories live in a release folder`);
    assert.match(entry.name, RELEASE, `test/histories/${entry.name}: a release folder is named x.y.z`);
    return readdirSync(path.join(historiesDir, entry.name))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({
        release: entry.name,
        name: path.basename(file, '.json'),
        file: path.join(historiesDir, entry.name, file),
      }));
  });
}

function loadHistories(saved: { release: string; name: string; file: string }[]) {
  return saved.map(({ release, name, file }) => ({
    workflowId: `${release}/${name}`,
    history: historyFromJSON(JSON.parse(readFileSync(file, 'utf8'))),
  }));
}

describe('workflow replay', () => {
  if (process.env.VCHA_RECORD_HISTORIES === '1') {
    it(`records the main paths of release ${currentRelease} that have no saved history`, async () => {
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
          denied: {},
          approval: {},
        },
        targetPolicies: { denied: { forced: 'deny' }, approval: { forced: 'approval' } },
      });
      mkdirSync(currentDir, { recursive: true });
      for (const main of MAIN_PATHS.filter(({ name }) => !existsSync(path.join(currentDir, `${name}.json`)))) {
        const handle = await lab.start(main.input, `replay-${currentRelease}-${main.name}-${Date.now()}`);
        await handle.result().catch(() => undefined);
        // The CLI's JSON is the format Temporal documents for saved histories.
        const json = execFileSync(
          cli,
          ['workflow', 'show', '--workflow-id', handle.workflowId, '--output', 'json', '--address', env.address],
          { encoding: 'utf8' },
        );
        // "wx": never overwrite a saved history, even one another recording wrote meanwhile.
        writeFileSync(path.join(currentDir, `${main.name}.json`), json, { flag: 'wx' });
      }
    });
  }

  it(`has a saved history of every main path for the current release (${currentRelease})`, () => {
    const missing = MAIN_PATHS.map(({ name }) => name).filter(
      (name) => !existsSync(path.join(currentDir, `${name}.json`)),
    );
    assert.deepEqual(missing, [], `record them with: npm run histories:record`);
  });

  it("replays every release's saved histories on the current code without a determinism error", async () => {
    const saved = savedHistories();
    const releases = new Set(saved.map(({ release }) => release));
    assert.ok(releases.size >= 2, `expected the histories of more than one release in ${historiesDir}`);
    const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, loadHistories(saved));
    let replayed = 0;
    for await (const result of results) {
      assert.equal(result.error, undefined, `${result.workflowId}: ${String(result.error)}`);
      replayed += 1;
    }
    assert.equal(replayed, saved.length);
  });

  it('fails on workflow code that changes the steps of a saved history', async () => {
    const { code } = await bundleWorkflowCode({
      ...workflowBundleOptions(require.resolve('../harness/bundle/next-build')),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const saved = savedHistories().filter(({ release }) => release === currentRelease);
    const failed: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { code } }, loadHistories(saved))) {
      if (result.error?.name === 'DeterminismViolationError') failed.push(result.workflowId);
    }
    assert.deepEqual(failed.sort(), saved.map(({ release, name }) => `${release}/${name}`).sort());
  });
});
