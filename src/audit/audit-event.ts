/**
 * One answered request as a CloudTrail event (a record of a trail's log file), in CloudTrail's member order:
 *   eventVersion, userIdentity, eventTime, eventSource (`dynamodb.amazonaws.com`, DynamoDB Streams included),
 *   eventName, awsRegion, sourceIPAddress, userAgent, errorCode / errorMessage (failures only), requestParameters,
 *   responseElements, requestID (the answer's x-amzn-RequestId), eventID, readOnly, resources, eventType
 *   (`AwsApiCall`), apiVersion, managementEvent, recipientAccountId, eventCategory, and tlsDetails over HTTPS.
 *
 * Who: with `--auth`, the verified principal: an IAM user (`IAMUser`, with its userName) or a session
 * (`AssumedRole`); a request refused before its signature was verified (an unknown key, a wrong signature) has
 * type `Unknown` and the access key it claimed, and one refused after (by validation) has its signer's identity.
 * Without `--auth`, Cairn accepts any credentials for one default account, which CloudTrail would call the account
 * itself: `Root`, with the account's root ARN and the access key the request was signed with. (The `Unknown` shape
 * is Cairn's choice: CloudTrail documents the type, not what it carries for a refused signature.)
 * Allowed or denied: a denial is a failure like any other, its errorCode `AccessDeniedException`.
 *
 * responseElements are written for the control-plane operations that change something (CreateTable's
 * tableDescription...), and null otherwise, as CloudTrail does: reads would put the data in the log.
 */
import type { TLSSocket } from 'node:tls';
import type { JsonObject } from '../api/operation.js';
import { JsonText } from '../api/operation.js';
import type { Namespace } from '../engine/catalog.js';
import { DynamoDbError } from '../errors.js';
import type { AnsweredRequest } from '../http/answered-request.js';
import { eventName, isDataEvent, isReadOnly } from './event-classes.js';
import { plainKey, requestParameters, responseElements } from './request-parameters.js';
import { eventResources, type EventResource } from './resources.js';

/** The CloudTrail record format version the events follow. */
export const EVENT_VERSION = '1.08';
export const EVENT_SOURCE = 'dynamodb.amazonaws.com';
export const API_VERSION = '2012-08-10';

export interface UserIdentity {
  readonly type: 'Root' | 'IAMUser' | 'AssumedRole' | 'Unknown';
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly userName?: string;
}

export interface AuditEvent {
  readonly eventVersion: string;
  readonly userIdentity: UserIdentity;
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestParameters: Record<string, unknown> | null;
  readonly responseElements: Record<string, unknown> | null;
  readonly requestID: string;
  readonly eventID: string;
  readonly readOnly: boolean;
  readonly resources?: readonly EventResource[];
  readonly eventType: 'AwsApiCall';
  readonly apiVersion: string;
  readonly managementEvent: boolean;
  readonly recipientAccountId: string;
  readonly eventCategory: 'Management' | 'Data';
  readonly tlsDetails?: { readonly tlsVersion: string; readonly cipherSuite: string; readonly clientProvidedHostHeader?: string };
}

/** What an event needs besides the request: the server's defaults, the time and a fresh id. */
export interface EventSettings {
  readonly defaultRegion: string;
  readonly defaultAccountId: string;
  /** Requests are verified (`--auth`): one without a principal was not, and its identity is unknown. */
  readonly authenticates: boolean;
  readonly now: Date;
  readonly eventId: string;
}

export function auditEvent(answered: AnsweredRequest, settings: EventSettings): AuditEvent {
  const { operation, req, context, request, result, error } = answered;
  const headers = req.headers;
  const credential = credentialOf(headers.authorization, req.url);
  // Without a context (a request refused before it had one), what its authentication found, else its credential's.
  const principal = context?.principal ?? answered.principal;
  const region = context?.region ?? answered.region ?? credential?.region ?? settings.defaultRegion;
  const accountId = context?.accountId ?? principal?.accountId ?? settings.defaultAccountId;
  const userIdentity: UserIdentity =
    principal === undefined && settings.authenticates
      ? { type: 'Unknown', ...(credential?.accessKeyId !== undefined ? { accessKeyId: credential.accessKeyId } : {}) }
      : principal === undefined
      ? {
          type: 'Root',
          principalId: accountId,
          arn: `arn:aws:iam::${accountId}:root`,
          accountId,
          ...(credential?.accessKeyId !== undefined ? { accessKeyId: credential.accessKeyId } : {}),
        }
      : principal.arn.includes(':assumed-role/')
        ? { type: 'AssumedRole', principalId: principal.userId, arn: principal.arn, accountId: principal.accountId, accessKeyId: principal.accessKeyId }
        : {
            type: 'IAMUser',
            principalId: principal.userId,
            arn: principal.arn,
            accountId: principal.accountId,
            accessKeyId: principal.accessKeyId,
            ...(principal.userName !== undefined ? { userName: principal.userName } : {}),
          };
  const data = isDataEvent(operation);
  const readOnly = isReadOnly(operation, request);
  const failure =
    error === undefined
      ? undefined
      : error instanceof DynamoDbError
        ? { errorCode: error.type, errorMessage: error.message }
        : { errorCode: 'InternalServerError', errorMessage: 'Internal server error' };
  let parameters = request === undefined ? null : requestParameters(request);
  if (parameters !== null && operation === 'PutItem' && request !== undefined) parameters = withPutKey(parameters, request, answered, { accountId, region });
  const resources = eventResources(request, region, accountId);
  const socket = req.socket as Partial<TLSSocket>;
  const cipher = socket.encrypted === true ? socket.getCipher?.() : undefined;
  const protocol = socket.encrypted === true ? socket.getProtocol?.() : undefined;
  return {
    eventVersion: EVENT_VERSION,
    userIdentity,
    eventTime: settings.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: EVENT_SOURCE,
    eventName: eventName(operation),
    awsRegion: region,
    sourceIPAddress: sourceAddress(req.socket.remoteAddress),
    userAgent: headers['user-agent'] ?? '',
    ...failure,
    requestParameters: parameters,
    responseElements:
      failure === undefined && !data && !readOnly && result !== undefined && !(result instanceof JsonText) ? responseElements(result) : null,
    requestID: answered.requestId,
    eventID: settings.eventId,
    readOnly,
    ...(resources.length > 0 ? { resources } : {}),
    eventType: 'AwsApiCall',
    apiVersion: API_VERSION,
    managementEvent: !data,
    recipientAccountId: accountId,
    eventCategory: data ? 'Data' : 'Management',
    ...(cipher !== undefined && typeof protocol === 'string'
      ? {
          tlsDetails: {
            tlsVersion: protocol,
            cipherSuite: cipher.name,
            ...(headers.host !== undefined ? { clientProvidedHostHeader: headers.host } : {}),
          },
        }
      : {}),
  };
}

/**
 * PutItem's parameters name the item's key as well as its attribute names, as CloudTrail's do: the key comes from
 * the table's key schema, so it is added only when the table is known.
 */
function withPutKey(parameters: Record<string, unknown>, request: JsonObject, answered: AnsweredRequest, namespace: Namespace): Record<string, unknown> {
  const engine = answered.context?.engine;
  const item = request.Item;
  if (engine === undefined || typeof request.TableName !== 'string' || typeof item !== 'object' || item === null) return parameters;
  const table = engine.catalog.getTable(namespace, request.TableName);
  if (table === undefined) return parameters;
  const key: Record<string, unknown> = {};
  const attributes = item as Record<string, unknown>;
  for (const part of [table.key.hash, table.key.range]) {
    if (part !== undefined && part.name in attributes) key[part.name] = attributes[part.name];
  }
  const { tableName, ...rest } = parameters;
  return { tableName, key: plainKey(key), ...rest };
}

/** The access key and region of a SigV4 credential (`AKID/20260101/us-west-2/dynamodb/aws4_request`), header or query. */
function credentialOf(authorization: string | undefined, url: string | undefined): { accessKeyId: string; region?: string } | undefined {
  let credential = authorization === undefined ? undefined : /Credential=([^,\s]+)/.exec(authorization)?.[1];
  if (credential === undefined && url !== undefined) {
    const query = url.indexOf('?');
    if (query !== -1) credential = new URLSearchParams(url.slice(query + 1)).get('X-Amz-Credential') ?? undefined;
  }
  if (credential === undefined || credential === '') return undefined;
  const parts = credential.split('/');
  const accessKeyId = parts[0] ?? '';
  const region = parts[2];
  return { accessKeyId, ...(region !== undefined && region !== '' ? { region } : {}) };
}

/** `::ffff:127.0.0.1` (an IPv4 client of a dual-stack socket) -> `127.0.0.1`. */
function sourceAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
