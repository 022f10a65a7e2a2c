/**
 * Who made a request, once its signature has been verified against the `--auth` file's keys. Without `--auth`
 * there is no principal: Cairn stays a drop-in local DynamoDB that accepts any credentials for one default account,
 * and no policy is evaluated.
 */
export interface Principal {
  /** The account the key belongs to; its tables are the request's namespace (with the region). */
  readonly accountId: string;
  /** `arn:aws:iam::<account>:user/<name>`, or `arn:aws:sts::<account>:assumed-role/<role>/<session>` for a session. */
  readonly arn: string;
  /** The `aws:username` policy variable (the user's name; absent for an assumed-role session, as in IAM). */
  readonly userName?: string;
  /** The `aws:userid` policy variable. */
  readonly userId: string;
  /** The access key that signed the request. */
  readonly accessKeyId: string;
  /** The identity-based policy documents attached to the user or session, as JSON, validated at start-up. */
  readonly policies: readonly unknown[];
}
