/**
 * The regression guard's verdict (guard.ts): this run's figures against the committed ones (bench/guard-figures.json).
 *
 * Every figure is a ratio to the baseline server measured in the same run (throughput: Cairn's req/s over the
 * baseline's; start-up and idle RSS: Cairn's over the baseline's), so that a slower or busier machine moves both
 * sides and the figure much less than absolute numbers. What is left of the noise is what the tolerance is for: a
 * figure fails only when it is worse than the committed one by more than its tolerance (relative).
 */

/** Throughput ratios are better higher; start-up and memory ratios better lower. */
export type Better = 'higher' | 'lower';

export interface GuardFigure {
  /** Cairn's figure as a ratio to the baseline's in the same run. */
  readonly ratio: number;
  readonly better: Better;
  /** How much worse (relative: 0.2 = 20%) this run may be than `ratio` before the guard fails. */
  readonly tolerance: number;
}

export interface GuardFile {
  /** When and how the figures were recorded (free text, for the reader). */
  readonly recorded: string;
  readonly figures: Readonly<Record<string, GuardFigure>>;
}

export interface GuardVerdict {
  readonly name: string;
  readonly committed: GuardFigure;
  /** NaN when this run could not measure it. */
  readonly measured: number;
  /** The worst value still accepted. */
  readonly limit: number;
  readonly passed: boolean;
}

/** The worst ratio a figure may reach before the guard fails. */
export function limitOf(figure: GuardFigure): number {
  return figure.better === 'higher' ? figure.ratio * (1 - figure.tolerance) : figure.ratio * (1 + figure.tolerance);
}

/** One verdict per committed figure; a figure this run did not measure fails (a guard that skips proves nothing). */
export function checkFigures(committed: GuardFile, measured: ReadonlyMap<string, number>): GuardVerdict[] {
  return Object.entries(committed.figures).map(([name, figure]) => {
    const value = measured.get(name) ?? Number.NaN;
    const limit = limitOf(figure);
    const passed = Number.isFinite(value) && (figure.better === 'higher' ? value >= limit : value <= limit);
    return { name, committed: figure, measured: value, limit, passed };
  });
}

/** The lines printed for a verdict: one per figure, and a last line that says whether the guard passed. */
export function renderVerdicts(verdicts: readonly GuardVerdict[]): string[] {
  const lines = verdicts.map((verdict) => {
    const measured = Number.isFinite(verdict.measured) ? `${verdict.measured.toFixed(2)}x` : 'not measured';
    const bound = `${verdict.committed.better === 'higher' ? '>=' : '<='} ${verdict.limit.toFixed(2)}x`;
    return (
      `${verdict.passed ? 'ok  ' : 'FAIL'} ${verdict.name}: ${measured} (committed ${verdict.committed.ratio.toFixed(2)}x, ` +
      `must be ${bound}: ${Math.round(verdict.committed.tolerance * 100)}% tolerance)`
    );
  });
  const failed = verdicts.filter((verdict) => !verdict.passed);
  lines.push(
    failed.length === 0
      ? `bench:guard passed: ${verdicts.length} figures within tolerance of bench/guard-figures.json`
      : `bench:guard FAILED: ${failed.map((verdict) => verdict.name).join(', ')} regressed beyond tolerance ` +
          '(if the change is intended, record new figures with `npm run bench:guard -- --update` and commit them)',
  );
  return lines;
}

/** The file written by --update: this run's ratios, each figure's direction and tolerance kept from `previous`. */
export function updatedFile(
  previous: GuardFile | undefined,
  defaults: Readonly<Record<string, Omit<GuardFigure, 'ratio'>>>,
  measured: ReadonlyMap<string, number>,
  recorded: string,
): GuardFile {
  const figures: Record<string, GuardFigure> = {};
  for (const [name, fallback] of Object.entries(defaults)) {
    const value = measured.get(name);
    if (value === undefined || !Number.isFinite(value)) throw new Error(`cannot record ${name}: this run did not measure it`);
    const kept = previous?.figures[name];
    figures[name] = {
      ratio: Math.round(value * 1000) / 1000,
      better: kept?.better ?? fallback.better,
      tolerance: kept?.tolerance ?? fallback.tolerance,
    };
  }
  return { recorded, figures };
}

/** Reads a guard file's JSON, checking its shape so that a hand edit gone wrong says what is wrong. */
export function parseGuardFile(text: string): GuardFile {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('the guard file is not a JSON object');
  const { recorded, figures } = parsed as { recorded?: unknown; figures?: unknown };
  if (typeof figures !== 'object' || figures === null) throw new Error('the guard file has no "figures" object');
  const checked: Record<string, GuardFigure> = {};
  for (const [name, value] of Object.entries(figures)) {
    const { ratio, better, tolerance } = (value ?? {}) as { ratio?: unknown; better?: unknown; tolerance?: unknown };
    if (typeof ratio !== 'number' || !(ratio > 0)) throw new Error(`figure ${name}: "ratio" must be a positive number`);
    if (better !== 'higher' && better !== 'lower') throw new Error(`figure ${name}: "better" must be "higher" or "lower"`);
    if (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance < 1)) throw new Error(`figure ${name}: "tolerance" must be in [0, 1)`);
    checked[name] = { ratio, better, tolerance };
  }
  return { recorded: typeof recorded === 'string' ? recorded : '', figures: checked };
}
