/**
 * The expressions of a single-item request (and their legacy counterparts), compiled once per request into the
 * three things the item operations need: a condition on the current item, an update to apply, a projection.
 * Expression parameters and legacy parameters arrive here already checked not to be mixed (request validation).
 */
import type { ExpressionKind } from '../expressions/expression-kind.js';
import { compileExpressions, type ExpressionRequest } from '../expressions/compile.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import { applyUpdate, assertKeyNotUpdated } from '../expressions/apply-update.js';
import { compileProjection, type Projection } from '../expressions/project.js';
import type { ConditionNode, PathNode } from '../expressions/ast.js';
import { expectedToCondition, type ExpectedAttributeValue } from '../expressions/legacy/expected.js';
import {
  applyAttributeUpdates,
  assertAttributeUpdatesKeyNotUpdated,
  validateAttributeUpdates,
  type AttributeUpdates,
} from '../expressions/legacy/attribute-updates.js';
import { attributesToGetToPaths } from '../expressions/legacy/attributes-to-get.js';
import { collectNestedPathHeads } from '../expressions/nested-path-heads.js';
import type { Item } from '../model/attribute-value.js';
import type { ValueLayer } from '../model/validate-attribute-value.js';
import type { TableKey } from '../engine/table-metadata.js';
import type { JsonObject } from './operation.js';

export type ItemCondition = (item: Item | undefined) => boolean;

export interface ItemUpdate {
  /** Rejects an update of a key attribute (checked once the table's key is known). */
  checkKeyUntouched(key: TableKey): void;
  /** Applies the update to `base` (the current item, or the key alone when the item is absent). */
  apply(base: Item, itemExisted: boolean): { item: Item; projectChanged: Projection };
  /**
   * Whether the update creates an absent item. DynamoDB creates one only for an update that writes something
   * (a SET or ADD action; AttributeUpdates PUT or ADD; or no action at all, which leaves the key alone): an
   * update of only REMOVE / DELETE actions on an absent item writes nothing and returns no attributes.
   */
  readonly createsItem: boolean;
}

export interface ItemExpressions {
  readonly condition?: ItemCondition;
  readonly update?: ItemUpdate;
  readonly projection?: Projection;
  readonly projectionPaths?: readonly PathNode[];
  /**
   * The attributes the expressions (update, condition, projection) reach into, for the check that needs the
   * table's keys (checkScalarKeyPaths).
   */
  readonly nestedPathHeads: ReadonlySet<string>;
}

/** Which expressions of each operation take `:values`, in the order DynamoDB names them in its message. */
const VALUE_EXPRESSIONS: Record<string, readonly ExpressionKind[]> = {
  PutItem: ['ConditionExpression'],
  DeleteItem: ['ConditionExpression'],
  UpdateItem: ['UpdateExpression', 'ConditionExpression'],
  GetItem: [],
};

const NO_HEADS: ReadonlySet<string> = new Set();

export function compileItemExpressions(
  operation: keyof typeof VALUE_EXPRESSIONS,
  request: JsonObject,
  valueLayer: ValueLayer = 'current',
): ItemExpressions {
  const compiled = compileExpressions(request as ExpressionRequest, {
    valueExpressions: VALUE_EXPRESSIONS[operation],
    valueLayer,
    valueEnvelope: operation !== 'GetItem',
  });
  const conditionNode: ConditionNode | undefined =
    compiled.condition ??
    expectedToCondition(
      request.Expected as Readonly<Record<string, ExpectedAttributeValue>> | undefined,
      request.ConditionalOperator,
    );
  const condition: ItemCondition | undefined =
    conditionNode === undefined ? undefined : (item) => evaluateCondition(conditionNode, item);

  let update: ItemUpdate | undefined;
  if (compiled.update !== undefined) {
    const node = compiled.update;
    update = {
      createsItem: node.actions.some((action) => action.kind === 'SetAction' || action.kind === 'AddAction'),
      checkKeyUntouched: (key) => assertKeyNotUpdated(node, key),
      apply: (base, itemExisted) => {
        const result = applyUpdate(node, base, { itemExisted });
        return { item: result.item, projectChanged: projectionOf(result.changedPaths) };
      },
    };
  } else if (request.AttributeUpdates != null) {
    const updates = request.AttributeUpdates as AttributeUpdates;
    validateAttributeUpdates(updates);
    const actions = Object.values(updates);
    update = {
      createsItem: actions.length === 0 || actions.some((entry) => (entry.Action ?? 'PUT') !== 'DELETE'),
      checkKeyUntouched: (key) => assertAttributeUpdatesKeyNotUpdated(updates, key),
      apply: (base) => {
        const result = applyAttributeUpdates(updates, base);
        return { item: result.item, projectChanged: projectionOf(result.changedPaths) };
      },
    };
  }

  const projectionPaths =
    compiled.projection?.paths ??
    (Array.isArray(request.AttributesToGet) ? attributesToGetToPaths(request.AttributesToGet as string[]) : undefined);
  const projection = projectionPaths === undefined ? undefined : compileProjection(projectionPaths);
  let nestedPathHeads: ReadonlySet<string> = NO_HEADS;
  // Most requests have no expression at all; they share one empty set.
  if (compiled.update !== undefined || compiled.condition !== undefined || projectionPaths !== undefined) {
    const heads = new Set<string>();
    collectNestedPathHeads(compiled.update, heads);
    collectNestedPathHeads(compiled.condition, heads);
    collectNestedPathHeads(projectionPaths, heads);
    nestedPathHeads = heads;
  }
  return { condition, update, projection, projectionPaths, nestedPathHeads };
}

function projectionOf(paths: readonly PathNode[]): Projection {
  return compileProjection(paths);
}
