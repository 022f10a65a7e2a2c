/** Whether a socket's peer is this machine: Cairn's own endpoints (`/cairn/...`, `/metrics`) serve no one else. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * Whether binding to `host` keeps Cairn reachable from this machine only: `localhost`, 127.0.0.0/8 or ::1.
 * (`0.0.0.0` and `::` listen on every interface.)
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare === 'localhost' || isLoopback(bare);
}
