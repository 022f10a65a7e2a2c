/**
 * What IAM evaluates a request against: the action, the resource ARN, and the condition keys, looked up by
 * lower-cased name (condition key names are case-insensitive); every key holds a list, one value for
 * single-valued keys. A ReadonlyMap will do; the request path uses a lookup that computes keys only when asked.
 */
export interface ConditionKeys {
  get(lowerCasedName: string): readonly string[] | undefined;
}

export interface AuthorizationRequest {
  /** `dynamodb:GetItem`. */
  readonly action: string;
  /** `arn:aws:dynamodb:us-east-1:111122223333:table/T`, an index or stream ARN, or `*` for account-level actions. */
  readonly resource: string;
  /** The account owning the resource: another account's resource needs its resource policy to allow too. */
  readonly resourceAccount: string;
  readonly keys: ConditionKeys;
}
