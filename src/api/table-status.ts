/** ResourceInUseException for changes to a table in a transitional status (only seen with a status delay). */
import { resourceInUse } from '../errors.js';
import type { TableMetadata } from '../engine/table-metadata.js';

export function assertChangeable(table: TableMetadata): void {
  switch (table.status) {
    case 'CREATING':
      throw resourceInUse(`Attempt to change a resource which is still in use: Table is being created: ${table.tableName}`);
    case 'UPDATING':
      throw resourceInUse(`Attempt to change a resource which is still in use: Table is being updated: ${table.tableName}`);
    case 'DELETING':
      throw resourceInUse(`Attempt to change a resource which is still in use: Table is being deleted: ${table.tableName}`);
    case 'ACTIVE':
    case 'ARCHIVING':
    case 'ARCHIVED':
      return;
  }
}
