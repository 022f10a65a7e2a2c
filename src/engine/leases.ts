/**
 * Leases: which of the Cairn processes sharing one storage runs each piece of background work (the TTL sweeper
 * and stream trimming, index backfills and other table jobs, replication, each trigger's delivery), so that it
 * runs once, not once per process.
 *
 * A lease is one key of the space `leases`, named after its work, whose value names its holder and when it
 * expires (epoch ms). A process takes a lease that is free or expired, and renews its own, each with an atomic
 * read-decide-write commit, so two processes never both take it; it renews a third of a period before expiry. A
 * holder that dies stops renewing, and another process takes the lease over once it has expired: background work
 * moves within a period. The holder counts its lease as lost at the start of its last successful renewal plus
 * one period, which on one clock is never later than the expiry the others see, so two holders never overlap
 * (processes on several machines need clocks synchronised well within a period). A process that stops releases
 * its leases, so that the others take over at once.
 *
 * With storage only one process uses (memory, LMDB), every lease is held without storage traffic, and background
 * work runs as it always has.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../storage/storage.js';

export const LEASE_SPACE = 'leases';
/** Default lease period: background work moves to another process within about this long after its holder died. */
export const DEFAULT_LEASE_PERIOD_MS = 5000;

/** What a lease key holds. */
export interface LeaseRecord {
  readonly holder: string;
  /** Epoch ms, by the clock of the process that took or renewed it. */
  readonly expiresAt: number;
}

export function isLeaseRecord(value: unknown): value is LeaseRecord {
  return typeof value === 'object' && value !== null && typeof (value as LeaseRecord).holder === 'string' && typeof (value as LeaseRecord).expiresAt === 'number';
}

const encoder = new TextEncoder();

export function leaseKey(name: string): Uint8Array {
  return encoder.encode(name);
}

export interface LeaseOptions {
  /** How long a lease lasts without renewal (default DEFAULT_LEASE_PERIOD_MS). */
  readonly periodMs?: number;
  /** Called after each round of renewals (the engine starts the work of the leases it holds). */
  readonly onRenewed?: () => Promise<void> | void;
  readonly onError?: (error: unknown) => void;
}

export class Leases {
  /** This process, as lease records name it. */
  readonly holder = randomUUID();
  readonly periodMs: number;
  /** Whether other processes compete for the leases (Storage.multiProcess); otherwise all are held. */
  readonly shared: boolean;
  /** Lease name -> when this process stops counting it as held (epoch ms). */
  private readonly heldUntil = new Map<string, number>();
  private readonly wanted = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private renewed: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly options: LeaseOptions = {},
  ) {
    this.periodMs = options.periodMs ?? DEFAULT_LEASE_PERIOD_MS;
    this.shared = storage.multiProcess === true;
  }

  /** Whether this process holds the lease now (always, when no other process shares the storage). */
  holds(name: string): boolean {
    if (!this.shared) return true;
    const until = this.heldUntil.get(name);
    return until !== undefined && Date.now() < until;
  }

  /** Competes for a lease: at once when the rounds already run (a trigger started later), else from the first. */
  want(name: string): void {
    if (this.wanted.has(name)) return;
    this.wanted.add(name);
    if (this.timer !== undefined) void this.renewRound();
  }

  /** Stops competing for a lease and releases it if held. */
  async unwant(name: string): Promise<void> {
    this.wanted.delete(name);
    if (this.shared && this.heldUntil.delete(name)) await this.release(name);
  }

  /** Starts the rounds of taking and renewing (nothing to do without other processes). */
  start(): void {
    if (!this.shared || this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => void this.renewRound(), Math.max(10, Math.floor(this.periodMs / 3)));
    this.timer.unref();
    void this.renewRound();
  }

  /**
   * One round: takes or renews every wanted lease, then calls onRenewed; resolves when both are done. Rounds
   * never overlap, and neither do onRenewed calls; but a slow onRenewed (the work it starts waits for the
   * storage) never holds up the next round's renewals, which keep the leases.
   */
  renewRound(): Promise<void> {
    if (!this.shared || this.stopped) return Promise.resolve();
    this.round ??= (async () => {
      for (const name of this.wanted) {
        if (this.stopped) return;
        try {
          await this.takeOrRenew(name);
        } catch (error) {
          // The storage failed (a database restarting): the lease runs out unless a later round renews it.
          this.options.onError?.(error);
        }
      }
    })().finally(() => {
      this.round = undefined;
    });
    return this.round.then(() => this.afterRenewal());
  }

  private afterRenewal(): Promise<void> {
    const onRenewed = this.options.onRenewed;
    if (this.stopped || onRenewed === undefined) return Promise.resolve();
    this.renewed ??= Promise.resolve()
      .then(onRenewed)
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.renewed = undefined;
      });
    return this.renewed;
  }

  /** Tries to take (or renew) a wanted lease now, without waiting for the next round; true when held. */
  async takeNow(name: string): Promise<boolean> {
    if (!this.shared) return true;
    if (this.stopped || !this.wanted.has(name)) return false;
    await this.takeOrRenew(name);
    return this.holds(name);
  }

  private async takeOrRenew(name: string): Promise<void> {
    const startedAt = Date.now();
    const key = leaseKey(name);
    const taken = await this.storage.atomic([{ space: LEASE_SPACE, key }], ([current]) => {
      const now = Date.now();
      if (isLeaseRecord(current) && current.holder !== this.holder && current.expiresAt > now) return { writes: [], result: false };
      const record: LeaseRecord = { holder: this.holder, expiresAt: now + this.periodMs };
      return { writes: [{ space: LEASE_SPACE, key, value: record }], result: true };
    });
    if (taken && this.wanted.has(name) && !this.stopped) this.heldUntil.set(name, startedAt + this.periodMs);
    else this.heldUntil.delete(name);
  }

  private async release(name: string): Promise<void> {
    const key = leaseKey(name);
    await this.storage.atomic([{ space: LEASE_SPACE, key }], ([current]) => ({
      writes: isLeaseRecord(current) && current.holder === this.holder ? [{ space: LEASE_SPACE, key, value: undefined }] : [],
      result: undefined,
    }));
  }

  /** Stops renewing and releases the leases held, so that other processes take the work over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.round;
    await this.renewed;
    const held = [...this.heldUntil.keys()];
    this.heldUntil.clear();
    for (const name of held) {
      try {
        await this.release(name);
      } catch {
        // The storage is gone: the lease expires by itself.
      }
    }
  }
}
