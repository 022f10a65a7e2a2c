/**
 * Where a trigger stands, kept durably in Cairn's storage (space `trigger/<id>`, one key) so that a restart —
 * graceful or after kill -9 — resumes where delivery stopped. It moves only after a batch was handled (or given
 * up and sent to the failure destination), so delivery is at least once: a crash between a handler's success and
 * the checkpoint's commit delivers that batch again.
 *
 * Before the table has a stream to read, the checkpoint remembers how the trigger was asked to start and when.
 */
import type { Storage } from '../storage/storage.js';
import type { StartingPosition } from './trigger-config.js';

export type Checkpoint =
  | {
      readonly kind: 'position';
      /** `<region>/<tableName>` the trigger followed: a trigger re-pointed at another table starts afresh. */
      readonly source: string;
      readonly tableId: string;
      /** The stream's label (its ARN's last part). */
      readonly label: string;
      /** The next sequence number to consider. */
      readonly next: number;
    }
  | {
      readonly kind: 'start';
      readonly source: string;
      readonly startingPosition: StartingPosition;
      /** Epoch ms the trigger was created: with LATEST, streams enabled since then are read from their start. */
      readonly createdAt: number;
    };

const KEY = Uint8Array.of(0);

export function checkpointSpace(triggerId: string): string {
  return `trigger/${triggerId}`;
}

function isCheckpoint(value: unknown): value is Checkpoint {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'position' || kind === 'start';
}

export async function readCheckpoint(storage: Storage, triggerId: string): Promise<Checkpoint | undefined> {
  const value = await storage.get(checkpointSpace(triggerId), KEY);
  return isCheckpoint(value) ? value : undefined;
}

/** Resolves once the checkpoint is durable. */
export async function writeCheckpoint(storage: Storage, triggerId: string, checkpoint: Checkpoint): Promise<void> {
  await storage.atomic([], () => ({ writes: [{ space: checkpointSpace(triggerId), key: KEY, value: checkpoint }], result: undefined }));
}

/**
 * Moves a position forward, never back: a process that delivered a batch after its lease ran out must not undo
 * the progress of the process that took the trigger over. Resolves with the checkpoint stored.
 */
export async function advanceCheckpoint(storage: Storage, triggerId: string, checkpoint: Checkpoint & { kind: 'position' }): Promise<Checkpoint> {
  return storage.atomic([{ space: checkpointSpace(triggerId), key: KEY }], ([current]) => {
    const ahead =
      isCheckpoint(current) &&
      current.kind === 'position' &&
      current.source === checkpoint.source &&
      current.tableId === checkpoint.tableId &&
      current.label === checkpoint.label &&
      current.next >= checkpoint.next;
    return ahead ? { writes: [], result: current } : { writes: [{ space: checkpointSpace(triggerId), key: KEY, value: checkpoint }], result: checkpoint };
  });
}

export async function clearCheckpoint(storage: Storage, triggerId: string): Promise<void> {
  await storage.clearSpace(checkpointSpace(triggerId));
}
