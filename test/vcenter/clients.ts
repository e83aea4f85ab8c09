/** vCenter clients for tests: made with shared options, closed together. */
import assert from 'node:assert/strict';
import { VcenterClient, type VcenterClientOptions } from '../../src/vcenter';

/** Makes VcenterClients with shared default options and closes all of them at once. */
export class TestClients {
  private readonly open: VcenterClient[] = [];

  constructor(private readonly defaults: Partial<VcenterClientOptions> = {}) {}

  /** A client for `baseUrl` logging in with `credentials`, with the defaults and then `overrides` applied. */
  create(
    baseUrl: string,
    credentials: { username: string; password: string },
    overrides: Partial<VcenterClientOptions> = {},
  ): VcenterClient {
    const { username, password } = credentials;
    const client = new VcenterClient({ baseUrl, username, password, ...this.defaults, ...overrides });
    this.open.push(client);
    return client;
  }

  /** Closes every client made since the last call. */
  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((client) => client.close()));
  }
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to fail');
}
