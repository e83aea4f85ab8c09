/**
 * The address decisions without a server: each node's failover IP from the cluster info, where the
 * cluster answers once a node is active, whether a run may send given what the probe saw, and the
 * order a target's known URLs are tried in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  candidateUrls,
  followCheck,
  followPlanFor,
  nodeAddresses,
  probeReaches,
  urlAtAddress,
  type AddressProbe,
  type NodeAddress,
} from '../../src/domain/addresses';
import type { VcenterVchaClusterInfo } from '../../src/vcenter/schemas';

const ip = (address: string) => ({ ip_family: 'IPV4', ipv4: { address, prefix: 24 } });

describe('nodeAddresses', () => {
  it('reads node1’s and node2’s ha_ip and failover IP; a node without one takes the public address', () => {
    const info = {
      node1: { ha_ip: ip('10.0.0.1') },
      node2: { ha_ip: ip('10.0.0.2'), failover_ip: ip('192.0.2.12') },
      witness: { ha_ip: ip('10.0.0.3') },
    } as unknown as VcenterVchaClusterInfo;
    assert.deepEqual(nodeAddresses(info), [
      { slot: 'node1', identity: '10.0.0.1' },
      { slot: 'node2', identity: '10.0.0.2', failoverIp: '192.0.2.12' },
    ]);
    assert.deepEqual(nodeAddresses({}), []);
  });
});

describe('urlAtAddress', () => {
  it('keeps scheme, port (the default made explicit) and path; brackets an IPv6 address', () => {
    assert.equal(urlAtAddress('https://vc01.example.com', '192.0.2.12'), 'https://192.0.2.12:443');
    assert.equal(urlAtAddress('https://vc01.example.com:8443/vc/', '192.0.2.12'), 'https://192.0.2.12:8443/vc');
    assert.equal(urlAtAddress('http://127.0.0.1:9001', '127.0.0.2'), 'http://127.0.0.2:9001');
    assert.equal(urlAtAddress('https://vc01.example.com', 'fd00::12'), 'https://[fd00::12]:443');
  });
});

const node2: NodeAddress = { slot: 'node2', identity: '10.0.0.2', failoverIp: '192.0.2.12' };
const plain: NodeAddress = { slot: 'node1', identity: '10.0.0.1' };
const target = { url: 'https://vc01.example.com' };

describe('followPlanFor: where the cluster answers once a node is active', () => {
  it('the node’s failover IP on the target’s scheme and port', () => {
    assert.deepEqual(followPlanFor(node2, target), {
      url: 'https://192.0.2.12:443',
      source: 'failover-ip',
      failoverIp: '192.0.2.12',
    });
  });

  it('the targets file’s URL for the node first, by ha_ip, then by slot', () => {
    const byIp = { '10.0.0.2': 'https://nat.example.com:9443', node2: 'https://other.example.com' };
    assert.equal(followPlanFor(node2, { ...target, nodes: byIp }).url, 'https://nat.example.com:9443');
    assert.equal(followPlanFor(node2, { ...target, nodes: { node2: 'https://b.example.com' } }).source, 'targets-file');
    assert.equal(followPlanFor(node2, { ...target, nodes: { node1: 'https://a.example.com' } }).source, 'failover-ip');
  });

  it('the target’s URL for a node without a failover IP (the public address moves with the role)', () => {
    assert.deepEqual(followPlanFor(plain, target), { url: 'https://vc01.example.com', source: 'public' });
  });
});

describe('followCheck: may the run send, given the addresses', () => {
  const context = (probe?: AddressProbe, readAt = 'https://vc01.example.com') => ({
    target: 'vc01',
    readAt,
    plainHttpAllowed: false,
    ...(probe ? { probe } : {}),
  });
  const plan = followPlanFor(node2, target);

  it('passes when the probe reached the failover IP’s host (an accepted connection or a refusal)', () => {
    for (const probe of [{ kind: 'connected' }, { kind: 'refused' }] as const) {
      assert.ok(probeReaches(probe));
      const check = followCheck(node2, plan, context(probe));
      assert.equal(check.ok, true, check.detail);
      assert.equal(check.id, 'follow-address');
      assert.match(check.detail, /follows 10\.0\.0\.2 to its failover IP 192\.0\.2\.12 at https:\/\/192\.0\.2\.12:443/);
    }
  });

  it('fails when no route leads there, nothing answers in time, or it was not probed, naming the entry that would fix it', () => {
    const cases: [AddressProbe | undefined, RegExp][] = [
      [{ kind: 'no-route', code: 'ENETUNREACH' }, /no route from this worker \(ENETUNREACH\)/],
      [{ kind: 'timeout', afterMs: 2_000 }, /no answer within 2000 ms/],
      [{ kind: 'error', code: 'EACCES' }, /the connection failed \(EACCES\)/],
      [undefined, /not probed/],
    ];
    for (const [probe, seen] of cases) {
      if (probe) assert.equal(probeReaches(probe), false);
      const check = followCheck(node2, plan, context(probe));
      assert.equal(check.ok, false);
      assert.match(check.detail, seen);
      assert.match(check.detail, /failover IP 192\.0\.2\.12 once ACTIVE/);
      assert.match(check.detail, /targets\.vc01\.nodes\["10\.0\.0\.2"\]/);
    }
  });

  it('passes without a probe for a URL of the targets file, and for a cluster that stays where it is read', () => {
    const named = followPlanFor(node2, { ...target, nodes: { node2: 'https://nat.example.com' } });
    assert.equal(followCheck(node2, named, context()).ok, true);
    assert.equal(followCheck(node2, plan, context(undefined, 'https://192.0.2.12:443')).ok, true);
    assert.equal(
      followCheck(plain, followPlanFor(plain, target), context(undefined, 'https://192.0.2.11:443')).ok,
      true,
    );
  });

  it('fails a plan that would carry the credentials over plain http to a non-loopback address', () => {
    const lab = followPlanFor(node2, { url: 'http://127.0.0.1:9001' });
    const check = followCheck(node2, lab, context({ kind: 'refused' }, 'http://127.0.0.1:9001'));
    assert.equal(check.ok, false);
    assert.match(check.detail, /plain http to a non-loopback address/);
    const allowed = followCheck(node2, lab, {
      ...context({ kind: 'refused' }, 'http://127.0.0.1:9001'),
      plainHttpAllowed: true,
    });
    assert.equal(allowed.ok, true);
    const loopback = followPlanFor({ ...node2, failoverIp: '127.0.0.2' }, { url: 'http://127.0.0.1:9001' });
    assert.equal(followCheck(node2, loopback, context({ kind: 'refused' }, 'http://127.0.0.1:9001')).ok, true);
  });
});

describe('candidateUrls: the order a moved cluster is looked for in', () => {
  it('where it answered last, the target’s URL, the per-node URLs, the learned failover IPs; each once', () => {
    assert.deepEqual(
      candidateUrls({
        current: 'https://192.0.2.12:443',
        configured: 'https://vc01.example.com',
        nodes: { node2: 'https://nat.example.com' },
        learned: ['https://192.0.2.12:443', 'https://192.0.2.11:443'],
      }),
      ['https://192.0.2.12:443', 'https://vc01.example.com', 'https://nat.example.com', 'https://192.0.2.11:443'],
    );
    assert.deepEqual(candidateUrls({ current: 'https://vc01.example.com', configured: 'https://vc01.example.com' }), [
      'https://vc01.example.com',
    ]);
  });
});
