/**
 * deploy/temporal/config_template.yaml as the server itself renders it (`temporal-server
 * render-config`), from the environment compose gives the temporal service: the values compose
 * means, the same config on the oldest and the newest supported release, and a clear error when a
 * variable the template needs is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { resolveTemporalServer, TEMPORAL_SERVER_VERSIONS } from '../../src/devtools/temporal-server';
import { composeSteps } from '../harness/compose-steps';

const steps = composeSteps();
/** What the image's entrypoint adds when BIND_ON_IP is 0.0.0.0: the container's own address. */
const CONTAINER_ADDRESS = '172.18.0.3';

interface RenderedConfig {
  persistence: {
    numHistoryShards: number;
    datastores: Record<
      string,
      {
        sql: {
          pluginName: string;
          databaseName: string;
          connectAddr: string;
          user: string;
          maxConns: number;
          maxIdleConns: number;
        };
      }
    >;
  };
  global: { membership: { broadcastAddress: string } };
  services: Record<string, { rpc: { grpcPort: number; membershipPort: number; httpPort?: number; bindOnIP: string } }>;
  clusterMetadata: { clusterInformation: { active: { rpcAddress: string } } };
  dynamicConfigClient: { filepath: string; pollInterval: string };
}

/** Renders the template with `server` as the image would start it, compose's environment plus `env`. */
function render(server: string, env: Record<string, string | undefined>) {
  const root = mkdtempSync(path.join(tmpdir(), 'server-config-'));
  mkdirSync(path.join(root, steps.server.configDir));
  copyFileSync(
    steps.server.configTemplate,
    path.join(root, steps.server.configDir, `${steps.server.configEnvironment}.yaml`),
  );
  const environment = Object.fromEntries(
    Object.entries({ ...steps.server.environment, TEMPORAL_BROADCAST_ADDRESS: CONTAINER_ADDRESS, ...env }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  // `render-config` reads the config folder relative to the working directory, as the image has it.
  const result = spawnSync(server, ['render-config'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...environment },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function renderedBy(release: string): RenderedConfig {
  const { server } = resolveTemporalServer({
    env: { ...process.env, TEMPORAL_SERVER_VERSION: release },
    log: () => {},
  });
  const result = render(server.executable, {});
  assert.equal(result.status, 0, result.stderr);
  return parse(result.stdout) as RenderedConfig;
}

describe('the Temporal server config template', () => {
  it('renders, on the compose image release, to the config compose means', () => {
    const config = renderedBy(TEMPORAL_SERVER_VERSIONS.newest);
    const { default: store, visibility } = config.persistence.datastores;
    assert.equal(config.persistence.numHistoryShards, 4);
    assert.deepEqual(
      [store?.sql, visibility?.sql].map((sql) => [sql?.pluginName, sql?.databaseName, sql?.connectAddr, sql?.user]),
      [
        ['postgres12', 'temporal', 'postgresql:5432', 'temporal'],
        ['postgres12', 'temporal_visibility', 'postgresql:5432', 'temporal'],
      ],
    );
    assert.equal(config.global.membership.broadcastAddress, CONTAINER_ADDRESS);
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(config.services).map(([name, { rpc }]) => [name, [rpc.grpcPort, rpc.bindOnIP]]),
      ),
      {
        frontend: [7233, '0.0.0.0'],
        history: [7234, '0.0.0.0'],
        matching: [7235, '0.0.0.0'],
        worker: [7239, '0.0.0.0'],
      },
    );
    assert.equal(config.clusterMetadata.clusterInformation.active.rpcAddress, `${CONTAINER_ADDRESS}:7233`);
    assert.equal(config.dynamicConfigClient.filepath, steps.server.environment.DYNAMIC_CONFIG_FILE_PATH);
  });

  it('renders the same config on the oldest and the newest supported release', () => {
    // The fields the template sets (newer releases add fields of their own to the printed config).
    const pick = (config: RenderedConfig) => ({
      shards: config.persistence.numHistoryShards,
      stores: Object.fromEntries(
        Object.entries(config.persistence.datastores).map(([name, { sql }]) => [
          name,
          [sql.pluginName, sql.databaseName, sql.connectAddr, sql.user, sql.maxConns, sql.maxIdleConns],
        ]),
      ),
      membership: config.global.membership,
      services: Object.fromEntries(
        Object.entries(config.services).map(([name, { rpc }]) => [
          name,
          [rpc.grpcPort, rpc.membershipPort, rpc.httpPort, rpc.bindOnIP],
        ]),
      ),
      cluster: config.clusterMetadata.clusterInformation.active.rpcAddress,
      dynamicConfig: config.dynamicConfigClient,
    });
    assert.deepEqual(
      pick(renderedBy(TEMPORAL_SERVER_VERSIONS.oldest)),
      pick(renderedBy(TEMPORAL_SERVER_VERSIONS.newest)),
    );
  });

  it('refuses to render without the database host, naming the variable', () => {
    const { server } = resolveTemporalServer({ log: () => {} });
    const result = render(server.executable, { POSTGRES_SEEDS: undefined });
    assert.notEqual(result.status, 0);
    assert.match(result.stdout + result.stderr, /POSTGRES_SEEDS is not set: the server config template needs it/);
  });
});
