/**
 * `verifySignature`: the worker's check of a signed decision (or request) before the approval gate
 * counts it. Nothing the client says is trusted: the message must name exactly the decision of this
 * run, its signer's time must be recent by this worker's clock, and `ssh-keygen -Y verify` must
 * find the signing key under the claimed principal, for our namespace, in the allowed-signers file
 * of the worker's targets file. A refusal is the non-retryable `ApprovalRefused` naming why.
 *
 * Why ssh-keygen and not our own SSHSIG parser: it is the verifier git uses, it reads the
 * allowed-signers file with every option (namespaces=, valid-after=, valid-before=,
 * cert-authority) and every key type, and it is on every worker image. It runs with execFile (no
 * shell); the message goes in on stdin and the signature into a private temporary directory.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import {
  APPROVAL_NAMESPACE,
  parseMessage,
  proofShapeProblem,
  signedAtProblem,
  statementMismatch,
  type ExpectedStatement,
  type SignedProof,
  type VerifiedIdentity,
} from '../contract/approval-message';
import { mayDecide } from '../contract/policy';
import type { ActivityDeps } from './deps';

/** Input of `verifySignature`: the proof and what it must name. */
export interface VerifySignatureInput {
  proof: SignedProof;
  expected: ExpectedStatement;
  /**
   * For a request: when the run started (ISO, as the server recorded it). Its signature's age is
   * measured there, since the run checks it only after preflight, which may take a while.
   */
  runStartedAt?: string;
}

/** The refusal the gate passes on to the client as is. */
function refused(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'ApprovalRefused', message, nonRetryable: true });
}

/** Builds the activity; `deps.allowedSignersFile` is the worker's trust anchor. */
export function makeVerifySignature(deps: Pick<ActivityDeps, 'allowedSignersFile' | 'policyFor' | 'sshKeygen'>) {
  return async function verifySignature(input: VerifySignatureInput): Promise<VerifiedIdentity> {
    const { proof, expected } = input;
    const signersFile = deps.allowedSignersFile;
    if (signersFile === undefined) {
      throw refused('the worker has no allowedSignersFile in its targets file: it cannot verify a signature');
    }
    const shape = proofShapeProblem(proof);
    if (shape) throw refused(shape);
    const parsed = parseMessage(proof.message);
    if (!parsed.ok) throw refused(parsed.problem);
    const mismatch = statementMismatch(parsed.statement, expected);
    if (mismatch) throw refused(mismatch);
    // The worker's clock, not the workflow's: this is where a decision's time is measured.
    const now = Date.now();
    const reference = input.runStartedAt === undefined ? now : Date.parse(input.runStartedAt);
    const late = signedAtProblem(
      parsed.statement.signedAt,
      reference,
      input.runStartedAt === undefined ? undefined : 'the run started',
    );
    if (late) throw refused(late);
    const approval = deps.policyFor(expected.target).approval;
    if (expected.action !== 'request' && approval && !mayDecide(approval, expected.signer)) {
      throw refused(
        `${expected.signer} is not an approver of ${expected.target} (policy.approval.approvers: ${approval.approvers!.join(', ')})`,
      );
    }
    const fingerprint = await checkSignature(deps.sshKeygen ?? 'ssh-keygen', signersFile, proof, expected.signer);
    return {
      principal: expected.signer,
      fingerprint,
      signedAt: parsed.statement.signedAt,
      verifiedAt: new Date(now).toISOString(),
    };
  };
}

/**
 * The signature checked twice by ssh-keygen: first that it is a valid signature over this message
 * in our namespace (which names the key), then that the allowed-signers file lets that key sign as
 * the principal. Two steps so the refusal says which one failed.
 */
async function checkSignature(
  sshKeygen: string,
  signersFile: string,
  proof: SignedProof,
  principal: string,
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vcha-signature-'));
  try {
    const signatureFile = path.join(dir, 'proof.sig');
    await writeFile(signatureFile, proof.signature.endsWith('\n') ? proof.signature : `${proof.signature}\n`, {
      mode: 0o600,
    });
    const valid = await run(
      sshKeygen,
      ['-Y', 'check-novalidate', '-n', APPROVAL_NAMESPACE, '-s', signatureFile],
      proof.message,
    );
    const fingerprint = /key (SHA256:[A-Za-z0-9+/=]+)/.exec(valid.stdout)?.[1];
    if (valid.code !== 0 || fingerprint === undefined) {
      throw refused(
        `the signature does not verify over the message in namespace ${APPROVAL_NAMESPACE} (an altered message, another namespace or a damaged signature)`,
      );
    }
    const allowed = await run(
      sshKeygen,
      ['-Y', 'verify', '-f', signersFile, '-I', principal, '-n', APPROVAL_NAMESPACE, '-s', signatureFile],
      proof.message,
    );
    if (allowed.code !== 0 || !allowed.stdout.includes(fingerprint)) {
      throw refused(
        `key ${fingerprint} is not allowed to sign as ${principal}: the worker's allowed-signers file does not list it for that principal (or not for namespace ${APPROVAL_NAMESPACE}, or not at this time)`,
      );
    }
    return fingerprint;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs ssh-keygen without a shell, `stdin` as its input; a start failure (no ssh-keygen) throws. */
function run(command: string, args: string[], stdin: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: 10_000 });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.resume();
    child.on('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
    // ssh-keygen may exit before it reads its input (a signature it cannot parse): the write then
    // fails with EPIPE, and its exit code, not an unhandled error, says what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}
