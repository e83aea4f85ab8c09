/**
 * Holds the vCenter session token of one client and makes sure concurrent callers share a single login, both for
 * the first login and for renewing a session vCenter no longer accepts.
 */

/** Creates a new session and returns its token. */
export type SessionCreator = () => Promise<string>;

/** The current session of one client, with single-flight login. */
export class SessionKeeper {
  private token: string | undefined;
  private loginInFlight: Promise<string> | undefined;
  private logins = 0;

  constructor(private readonly createSession: SessionCreator) {}

  /** How many logins succeeded. */
  get loginCount(): number {
    return this.logins;
  }

  /** The current token, logging in first (or joining a login in flight) when there is none. */
  async current(): Promise<string> {
    return this.token ?? this.login();
  }

  /**
   * A token to replace `rejected`, which vCenter answered with 401. When another caller already replaced it, that
   * token is reused; otherwise one login is made for every caller that saw the rejection.
   */
  async renew(rejected: string): Promise<string> {
    if (this.token !== undefined && this.token !== rejected) return this.token;
    if (this.token === rejected) this.token = undefined;
    return this.login();
  }

  /** Forgets `rejected` if it is still the current token, so the next caller logs in again. */
  drop(rejected: string): void {
    if (this.token === rejected) this.token = undefined;
  }

  /** Forgets the current token and returns it, e.g. to log it out. */
  take(): string | undefined {
    const token = this.token;
    this.token = undefined;
    return token;
  }

  private login(): Promise<string> {
    this.loginInFlight ??= this.createSession()
      .then((token) => {
        this.token = token;
        this.logins += 1;
        return token;
      })
      .finally(() => {
        this.loginInFlight = undefined;
      });
    return this.loginInFlight;
  }
}
