import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { VcenterUnreachableError, type VcenterClient, type VcenterClientOptions } from '../../src/vcenter';
import { TestClients } from './clients';
import { createResolvedTarget, createVcenterClient } from '../../src/config';
import { FakeVcenter } from './fake-vcenter';
import { SecretAudit } from './secret-audit';

const audit = new SecretAudit();
let directory: string;
let caPem: string;
let otherCaPem: string;
let fake: FakeVcenter;
const clients = new TestClients({ logger: audit.logger });

/** Generates a CA and a server certificate for 127.0.0.1 signed by it, the way a vCenter's VMCA issues one. */
function generateCertificates(dir: string): { caPem: string; otherCaPem: string; key: string; cert: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Test VMCA');
  openssl('req', '-x509', ...ecKey, '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=Other CA');
  openssl('req', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:vc01.test\nbasicConstraints=CA:FALSE\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  );
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return { caPem: read('ca.pem'), otherCaPem: read('other.pem'), key: read('server.key'), cert: read('server.pem') };
}

function clientWith(options: Partial<VcenterClientOptions>): VcenterClient {
  return clients.create(fake.url, fake, options);
}

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'vcenter-tls-'));
  const generated = generateCertificates(directory);
  caPem = generated.caPem;
  otherCaPem = generated.otherCaPem;
  fake = await FakeVcenter.start({ tls: { key: generated.key, cert: generated.cert } });
});

after(async () => {
  await clients.closeAll();
  audit.assertNoSecrets([
    fake.password,
    Buffer.from(`${fake.username}:${fake.password}`).toString('base64'),
    ...fake.issuedTokens,
  ]);
  await fake.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('TLS verification', () => {
  it('is on by default: an untrusted certificate is refused with reason "tls" and a caFile hint', async () => {
    const error = await audit.rejection(clientWith({}).getMode());
    assert.ok(error instanceof VcenterUnreachableError, String(error));
    assert.equal(error.reason, 'tls');
    assert.equal(error.phase, 'connect');
    assert.equal(error.mayHaveReachedVcenter, false);
    assert.match(error.message, /configure caFile for this target/);
    assert.equal(fake.requests.length, 0, 'nothing was sent over the unverified connection');
  });

  it('a different CA does not make the certificate trusted', async () => {
    const error = await audit.rejection(clientWith({ ca: otherCaPem }).getMode());
    assert.ok(error instanceof VcenterUnreachableError);
    assert.equal(error.reason, 'tls');
  });

  it('accepts the certificate when its CA is configured (string or Buffer)', async () => {
    assert.equal((await clientWith({ ca: caPem }).getMode()).mode, 'ENABLED');
    assert.equal((await clientWith({ ca: Buffer.from(caPem) }).getMode()).mode, 'ENABLED');
  });

  it('insecureSkipTlsVerify accepts any certificate and warns exactly once per client', async () => {
    const warningsBefore = audit.lines.filter((line) => line.level === 'warn').length;
    const client = clientWith({ insecureSkipTlsVerify: true });
    await client.getMode();
    await client.getOperations();
    const warnings = audit.lines.filter((line) => line.level === 'warn').slice(warningsBefore);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.message ?? '', /TLS certificate verification is disabled/);
  });
});

describe('TLS at another address of the same vCenter (a failover IP)', () => {
  it('verifies the certificate against the configured name, not the address connected to', async () => {
    assert.equal((await clientWith({ ca: caPem, tlsName: 'vc01.test' }).getMode()).mode, 'ENABLED');
    const error = await audit.rejection(clientWith({ ca: caPem, tlsName: 'vc02.test' }).getMode());
    assert.ok(error instanceof VcenterUnreachableError, String(error));
    assert.equal(error.reason, 'tls');
  });

  it('a target’s client at another URL keeps the target’s host as the name, and its CA and credentials', async () => {
    const port = new URL(fake.url).port;
    const target = createResolvedTarget({
      name: 'vc01',
      url: `https://vc01.test:${port}`,
      username: fake.username,
      password: fake.password,
      ca: caPem,
      insecureSkipTlsVerify: false,
    });
    const moved = createVcenterClient(target, { logger: audit.logger }, `https://127.0.0.1:${port}`);
    try {
      assert.equal((await moved.getMode()).mode, 'ENABLED');
    } finally {
      await moved.close();
    }
    const other = createVcenterClient(
      { ...target, url: `https://vc02.test:${port}` },
      { logger: audit.logger },
      `https://127.0.0.1:${port}`,
    );
    try {
      const error = await audit.rejection(other.getMode());
      assert.ok(error instanceof VcenterUnreachableError, String(error));
      assert.equal(error.reason, 'tls');
    } finally {
      await other.close();
    }
  });
});
