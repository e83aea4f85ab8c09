/**
 * Removes known secrets (password, Basic credentials, session tokens) from text that came from a server or a
 * transport error before it is put into an error message or a log line.
 */

const MASK = '[redacted]';

/** A set of secrets and a function that masks every occurrence of them in a text. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** Adds a secret to mask; empty strings are ignored. */
  add(secret: string): void {
    if (secret !== '') this.secrets.add(secret);
  }

  /** The text with every secret replaced by a mask; longest secrets first so overlapping ones are fully masked. */
  redact(text: string): string {
    let result = text;
    const longestFirst = [...this.secrets].sort((a, b) => b.length - a.length);
    for (const secret of longestFirst) result = result.split(secret).join(MASK);
    return result;
  }
}
