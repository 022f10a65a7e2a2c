/**
 * Auto scaling settings of a table's (or index's) provisioned capacity: DynamoDB's AutoScalingSettingsUpdate merged
 * into what the table has, and its AutoScalingSettingsDescription. Cairn records and describes them (as it does a
 * replica's KMS key) but does not scale: the capacity stays what was provisioned.
 *
 * The refusals' texts are Cairn's own (unconfirmed against DynamoDB); the 20-90 bounds of TargetValue are those the
 * developer guide gives for DynamoDB's target utilization.
 */
import { validationError } from '../../errors.js';
import type { AutoScalingPolicy, AutoScalingSettings, CapacityAutoScaling, TableAutoScaling, TableMetadata } from '../../engine/table-metadata.js';
import type { JsonObject } from '../operation.js';
import { booleanMember, numberMember, objectMember, stringMember } from '../request-members.js';

const INVALID = 'One or more parameter values were invalid: ';

/** The role DynamoDB's auto scaling uses when none is named (Application Auto Scaling's service-linked role). */
function serviceLinkedRole(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`;
}

/**
 * `update` (an AutoScalingSettingsUpdate) applied to `current`; `what` names the capacity in messages and
 * `policyName` is the name of a policy the update does not name (DynamoDB's console names them this way).
 */
export function mergeAutoScaling(
  table: TableMetadata,
  current: AutoScalingSettings | undefined,
  update: JsonObject,
  what: string,
  policyName: string,
): AutoScalingSettings {
  if (table.billingMode !== 'PROVISIONED') {
    throw validationError(`${INVALID}Auto scaling cannot be configured for ${what} of table ${table.tableName} in region ${table.region}: its billing mode is PAY_PER_REQUEST`);
  }
  const minimum = numberMember(update, 'MinimumUnits') ?? current?.MinimumUnits;
  const maximum = numberMember(update, 'MaximumUnits') ?? current?.MaximumUnits;
  if (minimum === undefined || maximum === undefined) {
    throw validationError(`${INVALID}MinimumUnits and MaximumUnits are required to configure auto scaling of ${what}`);
  }
  if (minimum > maximum) throw validationError(`${INVALID}MinimumUnits (${minimum}) must not be greater than MaximumUnits (${maximum}) for ${what}`);
  let policies: readonly AutoScalingPolicy[] = current?.ScalingPolicies ?? [];
  const policyUpdate = objectMember(update, 'ScalingPolicyUpdate');
  if (policyUpdate !== undefined) {
    const configuration = objectMember(policyUpdate, 'TargetTrackingScalingPolicyConfiguration') ?? {};
    const target = numberMember(configuration, 'TargetValue');
    if (target === undefined || target < 20 || target > 90) {
      throw validationError(`${INVALID}TargetValue must be a number between 20 and 90 for ${what}`);
    }
    const disableScaleIn = booleanMember(configuration, 'DisableScaleIn');
    const scaleIn = numberMember(configuration, 'ScaleInCooldown');
    const scaleOut = numberMember(configuration, 'ScaleOutCooldown');
    const policy: AutoScalingPolicy = {
      PolicyName: stringMember(policyUpdate, 'PolicyName') ?? policyName,
      TargetTrackingScalingPolicyConfiguration: {
        ...(disableScaleIn !== undefined ? { DisableScaleIn: disableScaleIn } : {}),
        ...(scaleIn !== undefined ? { ScaleInCooldown: scaleIn } : {}),
        ...(scaleOut !== undefined ? { ScaleOutCooldown: scaleOut } : {}),
        TargetValue: target,
      },
    };
    policies = [...policies.filter((existing) => existing.PolicyName !== policy.PolicyName), policy];
  }
  return {
    MinimumUnits: minimum,
    MaximumUnits: maximum,
    AutoScalingDisabled: booleanMember(update, 'AutoScalingDisabled') ?? current?.AutoScalingDisabled ?? false,
    AutoScalingRoleArn: stringMember(update, 'AutoScalingRoleArn') ?? current?.AutoScalingRoleArn ?? serviceLinkedRole(table.accountId),
    ScalingPolicies: policies,
  };
}

/** The name DynamoDB's console gives a target tracking policy: `DynamoDB<Read|Write>CapacityUtilization:<resource>`. */
export function defaultPolicyName(kind: 'read' | 'write', table: TableMetadata, indexName?: string): string {
  const resource = indexName === undefined ? `table/${table.tableName}` : `table/${table.tableName}/index/${indexName}`;
  return `DynamoDB${kind === 'read' ? 'Read' : 'Write'}CapacityUtilization:${resource}`;
}

/** A table with one capacity's settings replaced (`indexName` for an index's). */
export function withAutoScaling(
  table: TableMetadata,
  kind: 'read' | 'write',
  settings: AutoScalingSettings,
  indexName?: string,
): TableMetadata {
  const current: TableAutoScaling = table.autoScaling ?? {};
  if (indexName === undefined) return { ...table, autoScaling: { ...current, [kind]: settings } };
  const index: CapacityAutoScaling = current.indexes?.[indexName] ?? {};
  return { ...table, autoScaling: { ...current, indexes: { ...current.indexes, [indexName]: { ...index, [kind]: settings } } } };
}

/** AutoScalingSettingsDescription. */
export function autoScalingDescription(settings: AutoScalingSettings): JsonObject {
  return {
    MinimumUnits: settings.MinimumUnits,
    MaximumUnits: settings.MaximumUnits,
    AutoScalingDisabled: settings.AutoScalingDisabled,
    AutoScalingRoleArn: settings.AutoScalingRoleArn,
    ScalingPolicies: settings.ScalingPolicies,
  };
}

/** Adds `settings`, when there are any, to `description` as `member`. */
export function describeAutoScaling(description: JsonObject, member: string, settings: AutoScalingSettings | undefined): void {
  if (settings !== undefined) description[member] = autoScalingDescription(settings);
}
