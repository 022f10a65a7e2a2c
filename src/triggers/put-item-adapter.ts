/**
 * The PutItem a table failure destination uses: the PutItem operation itself, with the validation the wire layer
 * would apply, so a failure record is written exactly as a client's PutItem would be.
 */
import type { OperationHandler } from '../api/operation.js';
import type { Engine } from '../engine/engine.js';
import { newRequestId } from '../http/request-id.js';
import { validateRequest } from '../validation/validate-request.js';
import type { PutItem } from './failure-destination.js';

export function putItemThrough(engine: Engine, operations: Readonly<Record<string, OperationHandler>>): PutItem {
  return async (region, request) => {
    const operation = operations.PutItem;
    if (operation === undefined) throw new Error('PutItem is not available');
    validateRequest('PutItem', request);
    return operation({ region, accountId: engine.options.accountId, engine, requestId: newRequestId() }, request);
  };
}
