/**
 * The rules about which expression and legacy (non-expression) parameters may appear together, checked before
 * any expression is parsed. Each operation has its own lists, and DynamoDB names the offending parameters of
 * each side in a fixed per-operation order:
 *
 *   Can not use both expression and non-expression parameters in the same request:
 *   Non-expression parameters: {AttributeUpdates, Expected, ConditionalOperator}
 *   Expression parameters: {UpdateExpression, ConditionExpression}
 *
 * Then: ExpressionAttributeNames need some expression; ExpressionAttributeValues need an expression that can use
 * values (ProjectionExpression cannot); and ConditionalOperator needs a legacy condition map (Expected,
 * QueryFilter or ScanFilter) with at least two entries. KeyConditions is exempt from the mixing rule unless
 * KeyConditionExpression is also present (KeyConditions with FilterExpression is accepted).
 */
import { validationError } from '../../errors.js';

export type ExpressionOperation = 'GetItem' | 'BatchGetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query' | 'Scan';

interface OperationParameters {
  readonly expressions: readonly string[];
  readonly nonExpressions: readonly string[];
  /** The legacy condition map ConditionalOperator combines, if the operation has one. */
  readonly conditionMap?: string;
}

const PARAMETERS: Readonly<Record<ExpressionOperation, OperationParameters>> = {
  GetItem: { expressions: ['ProjectionExpression'], nonExpressions: ['AttributesToGet'] },
  BatchGetItem: { expressions: ['ProjectionExpression'], nonExpressions: ['AttributesToGet'] },
  PutItem: { expressions: ['ConditionExpression'], nonExpressions: ['Expected', 'ConditionalOperator'], conditionMap: 'Expected' },
  DeleteItem: { expressions: ['ConditionExpression'], nonExpressions: ['Expected', 'ConditionalOperator'], conditionMap: 'Expected' },
  UpdateItem: {
    expressions: ['UpdateExpression', 'ConditionExpression'],
    nonExpressions: ['AttributeUpdates', 'Expected', 'ConditionalOperator'],
    conditionMap: 'Expected',
  },
  Query: {
    expressions: ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
    nonExpressions: ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
    conditionMap: 'QueryFilter',
  },
  Scan: {
    expressions: ['ProjectionExpression', 'FilterExpression'],
    nonExpressions: ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'],
    conditionMap: 'ScanFilter',
  },
};

/**
 * Throws DynamoDB's ValidationException when `request` mixes expression and legacy parameters, uses
 * ExpressionAttributeNames / ExpressionAttributeValues without expressions, or misuses ConditionalOperator.
 * `operation` selects the parameter lists; without it they are inferred from the members present (pass it
 * whenever it is known: the inference cannot tell every operation apart).
 */
export function checkExpressionParameterMix(request: Record<string, unknown>, operation?: ExpressionOperation): void {
  const parameters = PARAMETERS[operation ?? inferOperation(request)];
  const present = (name: string): boolean => request[name] !== undefined && request[name] !== null;

  const expressions = parameters.expressions.filter(present);
  if (expressions.length > 0) {
    const keyConditionsExempt = !present('KeyConditionExpression');
    const nonExpressions = parameters.nonExpressions.filter(
      (name) => present(name) && !(name === 'KeyConditions' && keyConditionsExempt),
    );
    if (nonExpressions.length > 0) {
      throw validationError(
        'Can not use both expression and non-expression parameters in the same request: ' +
          `Non-expression parameters: {${nonExpressions.join(', ')}} Expression parameters: {${expressions.join(', ')}}`,
      );
    }
  }

  if (present('ExpressionAttributeNames') && expressions.length === 0) {
    throw validationError('ExpressionAttributeNames can only be specified when using expressions');
  }

  const valueExpressions = parameters.expressions.filter((name) => name !== 'ProjectionExpression');
  if (present('ExpressionAttributeValues') && valueExpressions.length > 0 && !valueExpressions.some(present)) {
    throw validationError(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${
        valueExpressions.length > 1 ? 'are' : 'is'
      } null`,
    );
  }

  if (present('ConditionalOperator') && parameters.conditionMap !== undefined) {
    const map = request[parameters.conditionMap];
    const size = typeof map === 'object' && map !== null ? Object.keys(map).length : 0;
    if (size === 0) throw validationError('ConditionalOperator cannot be used without Filter or Expected');
    if (size === 1) {
      throw validationError('ConditionalOperator can only be used when Filter or Expected has two or more elements');
    }
  }
}

/** Best-effort operation detection from the members only that operation has. */
function inferOperation(request: Record<string, unknown>): ExpressionOperation {
  const has = (name: string): boolean => request[name] !== undefined && request[name] !== null;
  if (has('UpdateExpression') || has('AttributeUpdates')) return 'UpdateItem';
  if (has('KeyConditionExpression') || has('KeyConditions') || has('QueryFilter')) return 'Query';
  if (has('ScanFilter') || has('FilterExpression') || has('Segment') || has('TotalSegments')) return 'Scan';
  if (has('Item')) return 'PutItem';
  if (has('ConditionExpression') || has('Expected') || has('ReturnValues')) return 'DeleteItem';
  return 'GetItem';
}
