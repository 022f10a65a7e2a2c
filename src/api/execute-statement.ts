/**
 * ExecuteStatement: one PartiQL statement, planned (src/partiql/plan.ts) and run on the engine paths the JSON
 * operations use: a SELECT reads as GetItem, Query or Scan do (partiql-select.ts), and INSERT, UPDATE and DELETE
 * commit through the one write path, so conditions, indexes, streams, TTL and capacity apply as to PutItem,
 * UpdateItem and DeleteItem.
 *
 * The response is `{Items: [...]}` for every statement: the page of a SELECT (with NextToken when there is more),
 * the item RETURNING asks for on UPDATE and DELETE, and nothing for other writes.
 */
import { isStrong } from '../engine/replication/strong-consistency.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { writeItem } from '../engine/write-path.js';
import { noteWrite } from '../observe/request-notes.js';
import { planStatement } from '../partiql/plan.js';
import { decodeToken, encodeToken, requestHash } from '../partiql/next-token.js';
import { consumedCapacity, response } from './item-common.js';
import { JsonText, type OperationHandler } from './operation.js';
import { encodedPointRead, selectPage } from './partiql-select.js';

export const executeStatement: OperationHandler = async (context, request) => {
  const statement = request.Statement as string;
  const parameters = request.Parameters as readonly AttributeValue[] | undefined;
  const plan = planStatement({ accountId: context.accountId, region: context.region, catalog: context.engine.catalog }, statement, parameters);
  // For metrics and the access-pattern report: the request names its table in the statement, not in TableName.
  if (context.notes !== undefined) context.notes.table = plan.table.tableName;

  if (plan.kind === 'read') {
    const consistent = request.ConsistentRead === true;
    // A global table with multi-Region strong consistency: the read sees every write a majority of its regions has.
    if (consistent && isStrong(plan.table)) await context.engine.strongWrites.catchUpForRead(plan.table);
    const capacityAsked = request.ReturnConsumedCapacity === 'TOTAL' || request.ReturnConsumedCapacity === 'INDEXES';
    if (!capacityAsked && request.NextToken === undefined) {
      const encoded = await encodedPointRead(context, plan, consistent);
      if (encoded !== undefined) return new JsonText(encoded);
    }
    const hash = requestHash(statement, parameters);
    const token = request.NextToken;
    const page = await selectPage(context, plan, {
      ...(typeof request.Limit === 'number' ? { limit: request.Limit } : {}),
      consistent,
      ...(typeof token === 'string' ? { resume: decodeToken(token, hash) } : {}),
    });
    return response({
      Items: page.items,
      NextToken: page.next === undefined ? undefined : encodeToken(hash, page.next),
      ConsumedCapacity: consumedCapacity(request.ReturnConsumedCapacity, plan.table, () => page.capacity),
    });
  }
  if (plan.kind === 'exists') {
    // planStatement refuses EXISTS outside transactions; kept exhaustive for the compiler.
    throw new Error('EXISTS is planned only for transactions');
  }

  const planned = plan.itemWrite(request.ReturnValuesOnConditionCheckFailure as string | undefined);
  const outcome = await writeItem(context.engine, planned.write);
  noteWrite(context.notes, outcome, plan.key);
  const returned: Item | undefined = planned.returned(outcome);
  return response({
    Items: returned === undefined ? [] : [returned],
    ConsumedCapacity: consumedCapacity(request.ReturnConsumedCapacity, plan.table, () => outcome.capacity),
  });
};
