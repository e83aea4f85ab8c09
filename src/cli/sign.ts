/**
 * Signing for `approve`, `reject` and `start --sign-with`: the canonical message of the decision
 * (or request) signed with the user's SSH key by `ssh-keygen -Y sign`, as git signs commits. A key
 * with a passphrase prompts on the terminal; a public key path signs through ssh-agent.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { APPROVAL_NAMESPACE, canonicalMessage, type SignedProof, type SignedStatement } from '../contract';
import { CliFailure, UsageError } from './io';

/** The statement to sign, without the namespace and time the signer adds. */
export type Unsigned = Omit<SignedStatement, 'namespace' | 'signedAt'>;

/** Signs `statement` now with the key at `keyPath`; `sshKeygen` is the program (default on PATH). */
export async function signStatement(
  statement: Unsigned,
  keyPath: string,
  options: { now?: Date; sshKeygen?: string } = {},
): Promise<SignedProof> {
  if (!existsSync(keyPath)) throw new UsageError(`--sign-with: no key file at ${keyPath}`);
  const message = canonicalMessage({
    namespace: APPROVAL_NAMESPACE,
    ...statement,
    signedAt: (options.now ?? new Date()).toISOString(),
  });
  const command = options.sshKeygen ?? 'ssh-keygen';
  const { code, stdout, stderr } = await run(command, ['-Y', 'sign', '-n', APPROVAL_NAMESPACE, '-f', keyPath], message);
  if (code !== 0 || !stdout.includes('-----BEGIN SSH SIGNATURE-----')) {
    const why = stderr.replace(/^Signing data on standard input\n?/m, '').trim();
    throw new CliFailure(`could not sign with ${keyPath}: ${why || `${command} exited with ${code}`}`);
  }
  return { message, signature: stdout };
}

/** Runs ssh-keygen without a shell; its passphrase prompt, if any, goes through the terminal. */
function run(
  command: string,
  args: string[],
  stdin: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new CliFailure(`cannot run ${command} to sign: ${error.message}`)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // ssh-keygen may exit before it reads its input (a signature it cannot parse): the write then
    // fails with EPIPE, and its exit code, not an unhandled error, says what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}
