import assert from 'node:assert/strict';
import { format, inspect } from 'node:util';
import { describe, it } from 'node:test';
import {
  TargetRegistry,
  UnknownTargetError,
  createResolvedTarget,
  createVcenterClient,
  parseTargets,
  type ResolvedTarget,
} from '../../src/config';
import { FakeVcenter } from '../vcenter/fake-vcenter';

const PASSWORD = 'Sup3r-Secret-Passw0rd';

function target(overrides: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return createResolvedTarget({
    name: 'vc-lab-01',
    url: 'https://vc01.example.com',
    username: 'administrator@vsphere.local',
    password: PASSWORD,
    ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    insecureSkipTlsVerify: false,
    timeouts: { connectMs: 1000 },
    ...overrides,
  });
}

describe('ResolvedTarget never shows its password', () => {
  it('JSON.stringify masks it and keeps the other fields', () => {
    const json = JSON.parse(JSON.stringify(target())) as Record<string, unknown>;
    assert.equal(json.password, '[redacted]');
    assert.equal(json.name, 'vc-lab-01');
    assert.equal(json.url, 'https://vc01.example.com');
    assert.equal(json.username, 'administrator@vsphere.local');
    assert.deepEqual(json.timeouts, { connectMs: 1000 });
    assert.ok(!JSON.stringify({ nested: { target: target() } }).includes(PASSWORD));
  });

  it('util.inspect, console-style formatting and %o mask it', () => {
    const value = target();
    for (const text of [
      inspect(value),
      inspect(value, { showHidden: true, depth: 10 }),
      format('%o', value),
      format('%j', value),
    ]) {
      assert.ok(!text.includes(PASSWORD), text);
      assert.ok(text.includes('[redacted]'), text);
    }
    assert.ok(!inspect({ wrapper: [value] }, { depth: 10 }).includes(PASSWORD));
  });

  it('the registry’s JSON and inspect forms mask every password', async () => {
    const registry = await parseTargets(
      {
        targets: {
          a: { url: 'https://a.example.com', username: 'u', passwordEnv: 'A_PASSWORD' },
          b: { url: 'https://b.example.com', username: 'u', passwordEnv: 'B_PASSWORD' },
        },
      },
      { env: { A_PASSWORD: 'a-secret-value', B_PASSWORD: 'b-secret-value' }, baseDir: '/', source: 'inline' },
    );
    assert.equal(registry.get('a').password, 'a-secret-value', 'the password itself stays available');
    for (const text of [JSON.stringify(registry), inspect(registry, { depth: 10 })]) {
      assert.ok(!text.includes('a-secret-value') && !text.includes('b-secret-value'), text);
    }
  });

  it('is frozen', () => {
    const value = target() as { password: string };
    assert.throws(() => {
      value.password = 'changed';
    }, TypeError);
  });
});

describe('TargetRegistry', () => {
  const registry = new TargetRegistry([target(), target({ name: 'vc-lab-02' })]);

  it('lists, checks and returns targets by name', () => {
    assert.deepEqual(registry.names(), ['vc-lab-01', 'vc-lab-02']);
    assert.equal(registry.has('vc-lab-02'), true);
    assert.equal(registry.has('vc-lab-03'), false);
    assert.equal(registry.get('vc-lab-02').name, 'vc-lab-02');
  });

  it('an unknown name throws UnknownTargetError listing the configured names', () => {
    assert.throws(
      () => registry.get('vc-lab-9'),
      (error: unknown) => {
        assert.ok(error instanceof UnknownTargetError);
        assert.equal(error.targetName, 'vc-lab-9');
        assert.deepEqual(error.knownTargets, ['vc-lab-01', 'vc-lab-02']);
        assert.equal(error.message, 'unknown vCenter target "vc-lab-9"; configured targets: vc-lab-01, vc-lab-02');
        return true;
      },
    );
  });

  it('rejects duplicate names', () => {
    assert.throws(() => new TargetRegistry([target(), target()]), /duplicate vCenter target "vc-lab-01"/);
  });
});

describe('createVcenterClient', () => {
  it('builds a client that talks to the target with its URL and credentials', async () => {
    const fake = await FakeVcenter.start({ prefix: '/vc/lab-01', password: PASSWORD });
    const client = createVcenterClient(
      target({ url: fake.url, ca: undefined, timeouts: { connectMs: 2000, headersMs: 2000, bodyMs: 2000 } }),
    );
    try {
      assert.equal((await client.getMode()).mode, 'ENABLED');
      assert.equal(client.loginCount, 1);
      assert.ok(fake.requests.every((request) => request.rawUrl.startsWith('/vc/lab-01/')));
    } finally {
      await client.close();
      await fake.stop();
    }
  });

  it('passes insecureSkipTlsVerify and the logger on (the client warns once)', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} };
    const client = createVcenterClient(target({ ca: undefined, insecureSkipTlsVerify: true }), { logger });
    assert.deepEqual(warnings, ['TLS certificate verification is disabled for this vCenter; configure a CA instead']);
    await client.close();
  });
});
