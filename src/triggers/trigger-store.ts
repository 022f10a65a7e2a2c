/**
 * Triggers created through the admin endpoint, kept in the storage space `triggers` (key: the trigger's id, value:
 * its settings) so they run again after a restart. Triggers from the configuration file or flags are not stored:
 * they are declared again by every start.
 */
import type { Storage } from '../storage/storage.js';
import type { TriggerConfig } from './trigger-config.js';

export const TRIGGERS_SPACE = 'triggers';

const encoder = new TextEncoder();

export async function loadStoredTriggers(storage: Storage): Promise<TriggerConfig[]> {
  const configs: TriggerConfig[] = [];
  for await (const { value } of storage.range(TRIGGERS_SPACE)) {
    if (typeof value === 'object' && value !== null && typeof (value as { Id?: unknown }).Id === 'string') configs.push(value as TriggerConfig);
  }
  return configs;
}

export async function storeTrigger(storage: Storage, config: TriggerConfig): Promise<void> {
  await storage.atomic([], () => ({ writes: [{ space: TRIGGERS_SPACE, key: encoder.encode(config.Id), value: config }], result: undefined }));
}

export async function forgetTrigger(storage: Storage, id: string): Promise<void> {
  await storage.atomic([], () => ({ writes: [{ space: TRIGGERS_SPACE, key: encoder.encode(id), value: undefined }], result: undefined }));
}
