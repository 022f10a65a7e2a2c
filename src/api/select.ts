/**
 * The Select parameter of Query and Scan against the projection parameters, checked once the table is known, with
 * DynamoDB's messages. Without Select, a projection means SPECIFIC_ATTRIBUTES and its absence ALL_ATTRIBUTES on a
 * table, ALL_PROJECTED_ATTRIBUTES on an index.
 */
import { validationError } from '../errors.js';
import type { JsonObject } from './operation.js';

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

/** Validates Select (once the index, if any, is known) and returns the effective value. */
export function checkSelect(request: JsonObject, onIndex: boolean): Select {
  const select = request.Select;
  const projectedBy =
    request.AttributesToGet != null ? 'AttributesToGet' : request.ProjectionExpression != null ? 'ProjectionExpression' : undefined;
  switch (select) {
    case undefined:
    case null:
      if (projectedBy !== undefined) return 'SPECIFIC_ATTRIBUTES';
      return onIndex ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
    case 'ALL_ATTRIBUTES':
      if (projectedBy !== undefined) throw validationError(`Cannot specify the ${projectedBy} when choosing to get ALL_ATTRIBUTES`);
      return select;
    case 'ALL_PROJECTED_ATTRIBUTES':
      if (projectedBy !== undefined) {
        throw validationError(`Cannot specify the ${projectedBy} when choosing to get ALL_PROJECTED_ATTRIBUTES`);
      }
      if (onIndex) return select;
      // DynamoDB says "Querying" for a Scan as well.
      throw validationError('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
    case 'COUNT':
      if (projectedBy !== undefined) throw validationError(`Cannot specify the ${projectedBy} when choosing to get only the Count`);
      return select;
    case 'SPECIFIC_ATTRIBUTES':
      if (projectedBy === undefined) {
        throw validationError('Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
      }
      return select;
    default:
      // The schema admits only the four values.
      throw validationError(`Unsupported Select: ${String(select)}`);
  }
}
