/** One measured number of `npm run bench`, as written to bench/results.json. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same measurement of the simplest thing that does the job, in the same run; null when there is none. */
  baseline: number | null;
  /** value / baseline, when there is a baseline. */
  ratio: number | null;
  /** The limit: on `ratio` where there is a baseline, else on `value`; null for numbers kept for reference only. */
  budget: number | null;
  pass: boolean;
  /** What was measured, in a few words. */
  what: string;
}

const r3 = (n: number): number => Math.round(n * 1000) / 1000;

/** A result whose budget applies to value / baseline. */
export function ratioResult(name: string, what: string, value: number, baseline: number, unit: string, budget: number | null): BenchResult {
  const ratio = r3(value / Math.max(1e-9, baseline));
  return { name, what, value: r3(value), unit, baseline: r3(baseline), ratio, budget, pass: budget === null || ratio <= budget };
}

/** A result whose budget applies to the value itself (or none: reference only). */
export function valueResult(name: string, what: string, value: number, unit: string, budget: number | null): BenchResult {
  return { name, what, value: r3(value), unit, baseline: null, ratio: null, budget, pass: budget === null || value <= budget };
}

export function median(list: readonly number[]): number {
  const s = [...list].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface BenchOptions {
  /** Run the long version (soak-type entries). */
  long: boolean;
  /** Print a progress line. */
  log(line: string): void;
}

export interface BenchEntry {
  /** The entry's name; its results are named `name` or `name.something`. */
  name: string;
  /** Only run when named with --only, or with --long (a short version otherwise, if `short` is set). */
  long?: boolean;
  run(opts: BenchOptions): Promise<BenchResult[]>;
}
