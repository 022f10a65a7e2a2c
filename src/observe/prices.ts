/**
 * The prices the access-pattern report costs an interval at, in US dollars: `capacity.prices` in
 * cairn.config.json overrides any of them. The defaults are DynamoDB Standard table class in us-east-1 as
 * published in late 2024 and 2025 (after the on-demand price cut effective 1 November 2024); they are not read
 * from AWS's price list and should be checked against https://aws.amazon.com/dynamodb/pricing/ before a cost
 * figure is relied on.
 */
export interface Prices {
  /** On-demand: per million write request units ($0.625 after the November 2024 cut; $1.25 before it). */
  readonly onDemandWritePerMillion: number;
  /** On-demand: per million read request units ($0.125 after the November 2024 cut; $0.25 before it). */
  readonly onDemandReadPerMillion: number;
  /** Provisioned: per WCU-hour ($0.00065, unchanged by the cut). */
  readonly provisionedWritePerUnitHour: number;
  /** Provisioned: per RCU-hour ($0.00013, unchanged by the cut). */
  readonly provisionedReadPerUnitHour: number;
  /**
   * On-demand, global tables: per million replicated write request units (rWRU), which every replica's table is
   * charged for each write, in its own region and in each region it is replicated to; its GSIs' writes are
   * ordinary write units. Priced as write request units since the November 2024 cut ($0.625; $1.875 before).
   */
  readonly onDemandReplicatedWritePerMillion: number;
  /** Provisioned, global tables: per replicated WCU-hour (rWCU; $0.00065 since the cut, $0.000975 before). */
  readonly provisionedReplicatedWritePerUnitHour: number;
}

export const DEFAULT_PRICES: Prices = {
  onDemandWritePerMillion: 0.625,
  onDemandReadPerMillion: 0.125,
  provisionedWritePerUnitHour: 0.00065,
  provisionedReadPerUnitHour: 0.00013,
  onDemandReplicatedWritePerMillion: 0.625,
  provisionedReplicatedWritePerUnitHour: 0.00065,
};

/** Reads `capacity.prices` of the configuration file: any subset of the members above, non-negative numbers. */
export function parsePrices(raw: unknown): Prices {
  if (raw === undefined) return DEFAULT_PRICES;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('"capacity.prices" must be an object');
  const out: Record<string, number> = { ...DEFAULT_PRICES };
  for (const [name, value] of Object.entries(raw)) {
    if (!(name in DEFAULT_PRICES)) throw new Error(`"capacity.prices": unknown price "${name}" (expected one of ${Object.keys(DEFAULT_PRICES).join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`"capacity.prices.${name}" must be a non-negative number`);
    out[name] = value;
  }
  return out as unknown as Prices;
}
