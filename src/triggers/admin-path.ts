/**
 * Where the triggers' admin endpoint lives, apart from the endpoint itself so that the server can route requests
 * without loading the trigger code (which it loads once it listens).
 */
import { pathOf } from '../http/endpoint-io.js';

export const ADMIN_PREFIX = '/cairn/triggers';

/** Whether a request's URL belongs to the admin endpoint (checked before DynamoDB's dispatch). */
export function isAdminRequest(url: string | undefined): boolean {
  if (url === undefined) return false;
  const path = pathOf(url);
  return path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
}

