/**
 * The operations of the replication endpoint that the API layer carries out for a peer (global tables across
 * servers): each runs the API's own checks and changes on this server's replica, as the API would for a request
 * made here.
 */
import type { Engine } from '../engine/engine.js';
import type { PeerApiOperation } from '../engine/replication/peer-service.js';
import { legacySettingsOperation } from './global-tables/global-table-settings.js';
import { legacyPeerOperations } from './global-tables/legacy-regions.js';
import { replicaIndexChanges } from './replica-index-updates.js';

export function peerApiOperations(engine: Engine): ReadonlyMap<string, PeerApiOperation> {
  return new Map<string, PeerApiOperation>([
    ['index-updates', replicaIndexChanges(engine)],
    ...legacyPeerOperations(engine),
    ['legacy-settings', legacySettingsOperation(engine)],
  ]);
}
