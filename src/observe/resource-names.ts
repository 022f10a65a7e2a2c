/**
 * The region, table and index a capacity resource's ARN names (`arn:aws:dynamodb:<region>:<account>:table/<t>` or
 * `.../table/<t>/index/<i>`), for metric labels and the report.
 */
export function resourceNames(arn: string): ResourceNames {
  // Every throttle event names its resource by ARN (in account mode, each would-be throttle of a busy table):
  // the few ARNs a server sees are split once.
  let names = known.get(arn);
  if (names === undefined) {
    if (known.size >= KNOWN_LIMIT) known.clear();
    known.set(arn, (names = splitArn(arn)));
  }
  return names;
}

export interface ResourceNames {
  readonly region: string;
  readonly table: string;
  readonly index: string | undefined;
}

const known = new Map<string, ResourceNames>();

/** ARNs kept split at most (tables and GSIs come and go; a long-lived server must not keep every one). */
const KNOWN_LIMIT = 10_000;

function splitArn(arn: string): ResourceNames {
  const region = arn.split(':', 4)[3] ?? '';
  const at = arn.indexOf(':table/');
  const path = at === -1 ? arn : arn.slice(at + ':table/'.length);
  const indexAt = path.indexOf('/index/');
  return indexAt === -1
    ? { region, table: path, index: undefined }
    : { region, table: path.slice(0, indexAt), index: path.slice(indexAt + '/index/'.length) };
}
