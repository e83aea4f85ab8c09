/**
 * Real SSH keys for signed-approval tests: each person gets an ed25519 key made by `ssh-keygen`
 * in a private temporary directory, and the allowed-signers file (git's format) lists the ones a
 * test trusts, under the principals it names.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APPROVAL_NAMESPACE } from '../../src/contract';

/** One person's key pair and its fingerprint as ssh-keygen prints it. */
export interface TestKey {
  /** The private key file, for `--sign-with`. */
  key: string;
  /** `ssh-ed25519 AAAA…` without the comment. */
  publicKey: string;
  /** `SHA256:…`. */
  fingerprint: string;
}

/** Makes one ed25519 key pair per name in a new private directory. */
export function makeKeys<N extends string>(names: readonly N[]): { dir: string; keys: Record<N, TestKey> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vcha-keys-'));
  const keys = {} as Record<N, TestKey>;
  for (const name of names) {
    const key = path.join(dir, name);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
    const publicKey = readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${key}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
    keys[name] = { key, publicKey, fingerprint };
  }
  return { dir, keys };
}

/**
 * Writes an allowed-signers file in `dir`: each principal with its key, limited to the approval
 * namespace as docs/approvals.md advises.
 */
export function writeAllowedSigners(dir: string, entries: readonly [principal: string, key: TestKey][]): string {
  const file = path.join(dir, 'allowed_signers');
  const lines = entries.map(([principal, key]) => `${principal} namespaces="${APPROVAL_NAMESPACE}" ${key.publicKey}`);
  writeFileSync(file, `# who may sign failover requests and approvals\n${lines.join('\n')}\n`);
  return file;
}
