/**
 * Request validation, in DynamoDB's phases, run by the wire layer after parsing the JSON body and before the
 * operation handler:
 *  1. deserialization: JSON types of the known members (SerializationException, first problem in document
 *     order; unknown members are ignored);
 *  2. constraints: a missing required parameter of a table operation, in its own words; then every violated
 *     modelled constraint, listed in one ValidationException (at most ten);
 *  3. the operation's `custom` checks that need no table (DynamoDB's own wording, first problem only).
 * Unknown operations pass: the wire layer answers for unknown targets.
 */
import { OPERATION_SCHEMAS } from '../api/schemas/index.js';
import { DynamoDbError, validationError } from '../errors.js';
import { checkConstraints } from './check-constraints.js';
import { checkStructureMembers } from './check-types.js';

export function validateRequest(operation: string, body: Record<string, unknown>): void {
  const schema = OPERATION_SCHEMAS.get(operation);
  if (schema === undefined) return;
  checkStructureMembers(body, schema.members, '');
  for (const member of schema.requiredParameters ?? []) {
    if (body[member] === undefined || body[member] === null) {
      throw validationError(`The parameter '${member}' is required but was not present in the request`);
    }
  }
  try {
    checkConstraints(body, schema.members);
  } catch (error) {
    if (schema.rewordConstraints === undefined || !(error instanceof DynamoDbError)) throw error;
    throw validationError(schema.rewordConstraints(error.message));
  }
  schema.custom?.(body);
}
