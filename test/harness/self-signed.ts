/** A throwaway self-signed certificate for 127.0.0.1, made with the `openssl` CLI, for HTTPS tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** PEM key and certificate (the certificate doubles as its own CA), plus a way to delete them. */
export interface SelfSignedCert {
  key: string;
  cert: string;
  remove(): void;
}

/** Generates a key and a one-day certificate with SAN IP:127.0.0.1. */
export function selfSignedCert(): SelfSignedCert {
  const dir = mkdtempSync(path.join(tmpdir(), 'self-signed-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', keyFile, '-out', certFile].concat([
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]),
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
