/**
 * What Cairn's own HTTP endpoints (the triggers' admin endpoint, metrics, partitions, the report) share: the path
 * of a URL, a complete answer, and reading past a body none of their GET / DELETE requests takes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The path of a request URL, without its query. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Writes a whole answer; a response already begun (an error half-way) is cut instead. */
export function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length });
  res.end(bytes);
}

/** Reads and drops a request's body, bounded by the socket's own limits. */
export function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.complete) {
      resolve();
      return;
    }
    req.resume();
    req.once('end', resolve);
    req.once('error', () => resolve());
  });
}
