/** Whether a socket's peer is this machine: Cairn's own endpoints (`/cairn/...`, `/metrics`) serve no one else. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
