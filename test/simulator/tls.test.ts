/** HTTPS with a self-signed certificate made by the openssl CLI. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent, fetch } from 'undici';
import { startSimulator, type Simulator } from '../../src/simulator';
import { selfSignedCert, type SelfSignedCert } from '../harness/self-signed';
import { fetchFailureCode, VcenterCaller } from './helpers';

describe('HTTPS', () => {
  let generated: SelfSignedCert;
  let key: string;
  let cert: string;

  before(() => {
    generated = selfSignedCert();
    key = generated.key;
    cert = generated.cert;
  });
  after(() => generated.remove());

  for (const layout of ['port-per-cluster', 'shared-port'] as const) {
    it(`serves the API and the admin API over HTTPS (${layout})`, async () => {
      const sim: Simulator = await startSimulator({ layout, clusters: ['secure'], tls: { key, cert } });
      const trusting = new Agent({ connect: { ca: cert } });
      try {
        assert.match(sim.urlFor('secure'), /^https:\/\/127\.0\.0\.1:\d+/);
        assert.match(sim.adminUrl, /^https:\/\//);
        const vc = new VcenterCaller(sim.urlFor('secure'), trusting);
        await vc.login();
        assert.equal((await vc.clusterGet()).status, 200);
        // Without trusting the self-signed certificate, the connection is refused by the client.
        const untrusted = new VcenterCaller(sim.urlFor('secure'));
        assert.notEqual(await fetchFailureCode(untrusted.call('POST', '/api/session', { token: null })), 'no-error');
        const plain = await fetchFailureCode(fetch(sim.urlFor('secure').replace('https:', 'http:') + '/api/session'));
        assert.notEqual(plain, 'no-error');
        const clusters = await fetch(`${sim.adminUrl}/clusters`, { dispatcher: trusting });
        assert.equal(clusters.status, 200);
        assert.equal(((await clusters.json()) as { name: string }[])[0]?.name, 'secure');
      } finally {
        await trusting.close();
        await sim.close();
      }
    });
  }
});
