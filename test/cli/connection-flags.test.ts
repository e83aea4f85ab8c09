/**
 * The `temporal` CLI's connection flags: a flag wins over its TEMPORAL_* variable, which wins over
 * the config-file profile; TLS options turn TLS on unless --tls=false; and a real `vcha-failover`
 * process connects where the flag says even when the environment points elsewhere.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveConnectConfig, type ConnectionValues } from '../../src/cli/connection-flags';
import { cliSettingsFromEnv } from '../../src/cli/settings';
import { testEnv } from '../harness/temporal';
import { runCli } from './run-cli';

const scratch = mkdtempSync(path.join(tmpdir(), 'vcha-connection-'));
const configFile = path.join(scratch, 'temporal.toml');
writeFileSync(
  configFile,
  `[profile.default]
address = "profile-default:7233"
namespace = "from-profile"

[profile.staging]
address = "profile-staging:7233"
namespace = "staging"
[profile.staging.tls]
server_name = "staging.example"
`,
);

/** The connect config for `flags` with `env` as the process environment (HOME points at nothing). */
const resolve = (flags: ConnectionValues, env: Record<string, string> = {}) =>
  resolveConnectConfig(flags, cliSettingsFromEnv({ HOME: scratch, ...env }));

describe('connection flags', { concurrency: true }, () => {
  it('a flag wins over the environment, which wins over the profile', async () => {
    const env = { TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_ADDRESS: 'from-env:7233' };
    const profileOnly = await resolve({}, { TEMPORAL_CONFIG_FILE: configFile });
    assert.equal(profileOnly.connectionOptions.address, 'profile-default:7233');
    assert.equal(profileOnly.namespace, 'from-profile');

    const withEnv = await resolve({}, env);
    assert.equal(withEnv.connectionOptions.address, 'from-env:7233');
    assert.equal(withEnv.namespace, 'from-profile');

    const withFlags = await resolve(
      { address: 'from-flag:7233', namespace: 'flagged' },
      { ...env, TEMPORAL_NAMESPACE: 'env-ns' },
    );
    assert.equal(withFlags.connectionOptions.address, 'from-flag:7233');
    assert.equal(withFlags.namespace, 'flagged');
  });

  it('--profile and --config-file win over TEMPORAL_PROFILE and TEMPORAL_CONFIG_FILE', async () => {
    const other = path.join(scratch, 'other.toml');
    writeFileSync(other, '[profile.default]\naddress = "other-file:7233"\n');
    const staging = await resolve(
      { profile: 'staging', 'config-file': configFile },
      { TEMPORAL_PROFILE: 'default', TEMPORAL_CONFIG_FILE: other },
    );
    assert.equal(staging.connectionOptions.address, 'profile-staging:7233');
    assert.equal(staging.namespace, 'staging');
    assert.deepEqual(staging.connectionOptions.tls, {
      serverNameOverride: 'staging.example',
      serverRootCACertificate: undefined,
      clientCertPair: undefined,
    });
    const fromEnvFile = await resolve({}, { TEMPORAL_CONFIG_FILE: other });
    assert.equal(fromEnvFile.connectionOptions.address, 'other-file:7233');
    await assert.rejects(resolve({ profile: 'missing', 'config-file': configFile }), /Profile 'missing' not found/);
  });

  it('an empty variable counts as unset', async () => {
    const config = await resolve({}, { TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_ADDRESS: '' });
    assert.equal(config.connectionOptions.address, 'profile-default:7233');
  });

  it('TLS: an API key or any TLS option turns it on, --tls=false turns it off over TEMPORAL_TLS', async () => {
    assert.equal((await resolve({})).connectionOptions.tls, undefined);
    assert.equal((await resolve({ 'api-key': 'k' })).connectionOptions.tls, true);
    assert.equal((await resolve({ 'api-key': 'k' })).connectionOptions.apiKey, 'k');
    assert.deepEqual((await resolve({ tls: true })).connectionOptions.tls, {
      serverNameOverride: undefined,
      serverRootCACertificate: undefined,
      clientCertPair: undefined,
    });
    const named = await resolve({ 'tls-server-name': 'temporal.example' });
    assert.equal(
      (named.connectionOptions.tls as { serverNameOverride?: string }).serverNameOverride,
      'temporal.example',
    );
    assert.equal((await resolve({ tls: false }, { TEMPORAL_TLS: 'true' })).connectionOptions.tls, false);
    assert.equal(
      (await resolve({}, { TEMPORAL_TLS: 'true' })).connectionOptions.tls !== undefined,
      true,
      'TEMPORAL_TLS=true alone turns TLS on',
    );
    const ca = path.join(scratch, 'ca.pem');
    writeFileSync(ca, 'not really a certificate');
    const withCa = await resolve({ 'tls-ca-path': ca });
    assert.equal(
      Buffer.from(
        (withCa.connectionOptions.tls as { serverRootCACertificate: Uint8Array }).serverRootCACertificate,
      ).toString(),
      'not really a certificate',
    );
  });

  it('a vcha-failover process connects where --address says, whatever TEMPORAL_ADDRESS says', async () => {
    const { address } = await testEnv();
    const dead = '127.0.0.1:1';
    const flagWins = await runCli(['list', '--limit', '1', '--address', address, '-o', 'json'], {
      TEMPORAL_ADDRESS: dead,
    });
    assert.equal(flagWins.code, 0, flagWins.stderr);
    assert.ok(Array.isArray((JSON.parse(flagWins.stdout) as { failovers: unknown }).failovers));

    const flagWrong = await runCli(['list', '--address', dead], { TEMPORAL_ADDRESS: address });
    assert.equal(flagWrong.code, 1);
    assert.match(flagWrong.stderr, /^vcha-failover list: cannot connect to Temporal at 127\.0\.0\.1:1: /);
    assert.equal(flagWrong.stdout, '');
  });
});
