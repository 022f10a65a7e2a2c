/**
 * The region, table and index a capacity resource's ARN names (`arn:aws:dynamodb:<region>:<account>:table/<t>` or
 * `.../table/<t>/index/<i>`), for metric labels and the report.
 */
export function resourceNames(arn: string): { readonly region: string; readonly table: string; readonly index: string | undefined } {
  const region = arn.split(':', 4)[3] ?? '';
  const at = arn.indexOf(':table/');
  const path = at === -1 ? arn : arn.slice(at + ':table/'.length);
  const indexAt = path.indexOf('/index/');
  return indexAt === -1
    ? { region, table: path, index: undefined }
    : { region, table: path.slice(0, indexAt), index: path.slice(indexAt + '/index/'.length) };
}
