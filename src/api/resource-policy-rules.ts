/**
 * What DynamoDB accepts as a resource-based policy (PutResourcePolicy, CreateTable's ResourcePolicy): at most
 * 20 KB (whitespace counts), a valid IAM policy document with a Principal in every statement, and only actions
 * that apply to the resource: table and index actions on a table, the three stream reads on a stream.
 * Refusals are ValidationExceptions `One or more parameter values were invalid: Invalid policy document: ...`,
 * as DynamoDB words them; the reasons after that prefix are IAM's grammar in Cairn's words (DynamoDB's are
 * recorded only for invalid action names), and the size message is Cairn's own.
 */
import { validationError } from '../errors.js';
import { parsePolicyDocument, PolicyDocumentError, type PolicyDocument } from '../iam/policy-document.js';
import { wildcardMatch } from '../iam/wildcard.js';

export const MAX_POLICY_BYTES = 20 * 1024;
const INVALID = 'One or more parameter values were invalid: ';

/** DynamoDB's actions that name a table or an index. */
const TABLE_ACTIONS = [
  'BatchGetItem', 'BatchWriteItem', 'ConditionCheckItem', 'CreateBackup', 'CreateGlobalTable', 'CreateTable',
  'CreateTableReplica', 'DeleteBackup', 'DeleteItem', 'DeleteResourcePolicy', 'DeleteTable', 'DeleteTableReplica',
  'DescribeBackup', 'DescribeContinuousBackups', 'DescribeContributorInsights', 'DescribeExport',
  'DescribeGlobalTable', 'DescribeGlobalTableSettings', 'DescribeImport', 'DescribeKinesisStreamingDestination',
  'DescribeTable', 'DescribeTableReplicaAutoScaling', 'DescribeTimeToLive', 'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination', 'ExportTableToPointInTime', 'GetItem', 'GetResourcePolicy', 'ImportTable',
  'ListTagsOfResource', 'PartiQLDelete', 'PartiQLInsert', 'PartiQLSelect', 'PartiQLUpdate', 'PutItem',
  'PutResourcePolicy', 'Query', 'RestoreTableFromBackup', 'RestoreTableToPointInTime', 'Scan', 'TagResource',
  'UntagResource', 'UpdateContinuousBackups', 'UpdateContributorInsights', 'UpdateGlobalTable',
  'UpdateGlobalTableSettings', 'UpdateItem', 'UpdateKinesisStreamingDestination', 'UpdateTable',
  'UpdateTableReplicaAutoScaling', 'UpdateTimeToLive',
];
const STREAM_ACTIONS = ['DescribeStream', 'GetRecords', 'GetShardIterator', 'GetResourcePolicy', 'PutResourcePolicy', 'DeleteResourcePolicy'];

/** Parses and checks a resource policy for a table (`stream` false) or a stream; throws DynamoDB's error. */
export function checkResourcePolicy(text: string, stream: boolean): PolicyDocument {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    throw validationError(`${INVALID}Policy document size exceeds the maximum of ${MAX_POLICY_BYTES} bytes`);
  }
  let document: PolicyDocument;
  try {
    document = parsePolicyDocument(text, 'resource');
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw validationError(`${INVALID}Invalid policy document: ${error.message}`);
    throw error;
  }
  const allowed = stream ? STREAM_ACTIONS : TABLE_ACTIONS;
  const invalid: string[] = [];
  for (const statement of document.statements) {
    for (const action of statement.actions ?? statement.notActions ?? []) {
      const colon = action.indexOf(':');
      if (action === '*' || action.slice(0, colon).toLowerCase() !== 'dynamodb') continue;
      const name = action.slice(colon + 1);
      // A pattern is valid when it names at least one action that applies here.
      if (!allowed.some((candidate) => wildcardMatch(name, candidate, true))) invalid.push(`"${action}"`);
    }
  }
  if (invalid.length > 0) {
    throw validationError(`${INVALID}Invalid policy document: The following action names are invalid: ${invalid.join(', ')}`);
  }
  return document;
}
