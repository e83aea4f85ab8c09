/** API sessions of one simulated vCenter node. */
import { randomBytes } from 'node:crypto';

/** One logged-in session. */
export interface SimSession {
  user: string;
  createdAt: number;
  lastAccessedAt: number;
}

/** Bounds memory when a client logs in again and again without logging out. */
const MAX_SESSIONS = 1_000;

/** Session tokens and their sessions; cleared when the vCenter service moves to another node. */
export class SessionStore {
  private readonly sessions = new Map<string, SimSession>();
  /** The most recent tokens ever issued, still listed after their session ended (for leak checks). */
  private readonly issuedTokens: string[] = [];

  /** Creates a session and returns its token (32 hex characters, like vCenter's). */
  create(user: string, now: number): string {
    const token = randomBytes(16).toString('hex');
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next();
      if (!oldest.done) this.sessions.delete(oldest.value);
    }
    this.sessions.set(token, { user, createdAt: now, lastAccessedAt: now });
    this.issuedTokens.push(token);
    if (this.issuedTokens.length > MAX_SESSIONS) this.issuedTokens.shift();
    return token;
  }

  /** Tokens issued so far, oldest first. */
  issued(): readonly string[] {
    return [...this.issuedTokens];
  }

  /** The session for `token`, marking it accessed. */
  touch(token: string | undefined, now: number): SimSession | undefined {
    if (!token) return undefined;
    const session = this.sessions.get(token);
    if (session) session.lastAccessedAt = now;
    return session;
  }

  /** Ends a session; false if the token was unknown. */
  delete(token: string): boolean {
    return this.sessions.delete(token);
  }

  /** Forgets every session. */
  clear(): void {
    this.sessions.clear();
  }

  /** Number of live sessions. */
  get size(): number {
    return this.sessions.size;
  }
}
