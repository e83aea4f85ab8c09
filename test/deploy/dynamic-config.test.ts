/**
 * One dynamic config for every server the project starts: the file the compose server mounts is
 * the one the dev servers read, it turns on what Worker Deployment Versioning needs, and a value
 * a dev server flag cannot carry is refused by name.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { composeSteps } from '../harness/compose-steps';
import { devServerDynamicConfig } from '../../src/devtools/dev-server';
import { DYNAMIC_CONFIG_FILE, dynamicConfigValues } from '../../src/devtools/dynamic-config';

const scratch = mkdtempSync(path.join(tmpdir(), 'vcha-dynamic-config-'));

function writeConfig(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

describe('dynamic config', () => {
  it('is the file the compose server mounts', () => {
    // composeSteps finds the project file compose mounts where DYNAMIC_CONFIG_FILE_PATH points.
    assert.equal(composeSteps().server.dynamicConfig, DYNAMIC_CONFIG_FILE);
  });

  it('turns on eager activities and worker deployment versions, and the dev servers get the same values', () => {
    const values = dynamicConfigValues();
    for (const expected of [
      'system.enableActivityEagerExecution=true',
      'system.enableDeploymentVersions=true',
      'frontend.workerVersioningWorkflowAPIs=true',
    ]) {
      assert.ok(values.includes(expected), `${expected} in ${DYNAMIC_CONFIG_FILE}`);
    }
    assert.deepEqual(devServerDynamicConfig({}), values);
  });

  it("lets a dev server's own values win, one flag per key", () => {
    const flags = devServerDynamicConfig({
      eagerActivityExecution: false,
      dynamicConfig: ['matching.wv.VersionDrainageStatusRefreshInterval="1s"'],
    });
    assert.ok(flags.includes('system.enableActivityEagerExecution=false'));
    assert.ok(!flags.includes('system.enableActivityEagerExecution=true'));
    assert.ok(flags.includes('matching.wv.VersionDrainageStatusRefreshInterval="1s"'));
    assert.ok(flags.includes('system.enableDeploymentVersions=true'));
    const keys = flags.map((flag) => flag.slice(0, flag.indexOf('=')));
    assert.equal(new Set(keys).size, keys.length);
  });

  it('refuses, by key, a value a dev server flag cannot carry', () => {
    const constrained = writeConfig(
      'constrained.yaml',
      'limit.maxIDLength:\n  - value: 255\n    constraints:\n      namespace: default\n',
    );
    assert.throws(() => dynamicConfigValues(constrained), /limit\.maxIDLength has constraints/);
    const twoValues = writeConfig('two.yaml', 'limit.maxIDLength:\n  - value: 255\n  - value: 300\n');
    assert.throws(() => dynamicConfigValues(twoValues), /limit\.maxIDLength must be a list with one entry/);
    assert.throws(() => dynamicConfigValues(writeConfig('list.yaml', '- a\n- b\n')), /expected a mapping/);
    assert.deepEqual(dynamicConfigValues(writeConfig('empty.yaml', '# nothing yet\n')), []);
    assert.deepEqual(dynamicConfigValues(writeConfig('json.yaml', 'a.b:\n  - value: {"x": "1s"}\n')), [
      'a.b={"x":"1s"}',
    ]);
  });
});
