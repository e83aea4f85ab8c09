/** The accounts a simulated vCenter accepts and the privileges each one holds. */
import type { UserScenario } from '../scenario';
import { PRIVILEGE_READ } from './vapi-errors';

/** An account that can log in. */
export interface UserAccount {
  username: string;
  password: string;
  /** Privilege ids; `*` grants every privilege (the administrator). */
  privileges: string[];
}

/** Default administrator credentials of the simulator (the appliance defaults of a lab). */
export const DEFAULT_USERNAME = 'administrator@vsphere.local';
/** Default administrator password. */
export const DEFAULT_PASSWORD = 'VMware1!';

/** Accounts of one cluster, looked up case-insensitively by username like vCenter SSO does. */
export class UserDirectory {
  private readonly accounts = new Map<string, UserAccount>();

  constructor(admin: { username: string; password: string }, users: Record<string, UserScenario> = {}) {
    this.accounts.set(admin.username.toLowerCase(), { ...admin, privileges: ['*'] });
    for (const [username, spec] of Object.entries(users)) this.set(username, spec);
  }

  /** Adds or replaces an account; accounts without listed privileges get read-only access. */
  set(username: string, spec: UserScenario): void {
    this.accounts.set(username.toLowerCase(), {
      username,
      password: spec.password,
      privileges: [...(spec.privileges ?? [PRIVILEGE_READ])],
    });
  }

  /** The account if the username and password match. */
  verify(username: string, password: string): UserAccount | undefined {
    const account = this.accounts.get(username.toLowerCase());
    return account && account.password === password ? account : undefined;
  }

  /** Whether `username` holds `privilege`. */
  hasPrivilege(username: string, privilege: string): boolean {
    const account = this.accounts.get(username.toLowerCase());
    return account !== undefined && (account.privileges.includes('*') || account.privileges.includes(privilege));
  }

  /** Usernames and privileges (never passwords), for the admin API. */
  describe(): { username: string; privileges: string[] }[] {
    return [...this.accounts.values()].map(({ username, privileges }) => ({ username, privileges: [...privileges] }));
  }
}
