/** Recognises loopback hosts, the only hosts a target may reach over plain http. */
import { isIPv4 } from 'node:net';

/** Whether a URL hostname (as `URL.hostname` gives it, IPv6 in brackets) is a loopback host. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  // Only the bare name: other *.localhost names depend on the resolver to stay on this machine.
  if (host === 'localhost') return true;
  if (host === '[::1]') return true;
  return isIPv4(host) && host.startsWith('127.');
}
