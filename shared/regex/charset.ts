/**
 * Sets of characters as sorted, disjoint, inclusive code ranges — what a JavaScript character
 * class, `.`, `\d`, `\w` or `\s` matches (UTF-16 code units, as a pattern without the `u` flag
 * reads them), so a pattern can be written for another engine with exactly the same meaning.
 */
export type CharSet = readonly (readonly [number, number])[];

/** The largest UTF-16 code unit. */
export const MAX_UNIT = 0xffff;

const SURROGATES: readonly [number, number] = [0xd800, 0xdfff];

/** A set from ranges in any order, overlapping or not. */
export function charSet(ranges: Iterable<readonly [number, number]>): CharSet {
  const sorted = [...ranges].map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function union(...sets: CharSet[]): CharSet {
  return charSet(sets.flat());
}

/** Every code unit not in the set. */
export function complement(set: CharSet): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_UNIT) out.push([next, MAX_UNIT]);
  return out;
}

export function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as readonly [number, number];
    const y = b[j] as readonly [number, number];
    if (x[1] < y[0]) i++;
    else if (y[1] < x[0]) j++;
    else return true;
  }
  return false;
}

export function contains(set: CharSet, unit: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = set[mid] as readonly [number, number];
    if (unit < r[0]) hi = mid - 1;
    else if (unit > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Whether the set holds some but not all surrogate code units (half of a character outside the BMP). */
export function splitsSurrogates(set: CharSet): boolean {
  const has = intersects(set, [SURROGATES]);
  const all = set.some(([lo, hi]) => lo <= SURROGATES[0] && hi >= SURROGATES[1]);
  return has && !all;
}

export const DIGIT: CharSet = charSet([[0x30, 0x39]]);
export const WORD: CharSet = charSet([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]);
/** JavaScript's `\s`: white space and line terminators. */
export const SPACE: CharSet = charSet([
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
/** JavaScript's `.` without the `s` flag: anything but a line terminator. */
export const DOT: CharSet = complement(charSet([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]));

function hex(n: number): string {
  return `\\x{${n.toString(16)}}`;
}

/**
 * The set as an RE2 class. RE2 reads text as code points, so a set holding every surrogate (`.`,
 * `\S`, `[^x]`) also holds every character outside the BMP, which JavaScript would match as two
 * code units. An empty set matches nothing.
 */
export function re2Class(set: CharSet): string {
  if (set.length === 0) return "[^\\x{0}-\\x{10ffff}]";
  const whole = set.some(([lo, hi]) => lo <= SURROGATES[0] && hi >= SURROGATES[1]);
  let body = "";
  for (const [lo, hi] of set) {
    // RE2 holds no surrogate code points: leave them out of its ranges.
    const parts: [number, number][] = [];
    if (hi < SURROGATES[0] || lo > SURROGATES[1]) parts.push([lo, hi]);
    else {
      if (lo < SURROGATES[0]) parts.push([lo, SURROGATES[0] - 1]);
      if (hi > SURROGATES[1]) parts.push([SURROGATES[1] + 1, hi]);
    }
    for (const [a, b] of parts) body += a === b ? hex(a) : `${hex(a)}-${hex(b)}`;
  }
  if (whole) body += `${hex(0x10000)}-${hex(0x10ffff)}`;
  return body === "" ? "[^\\x{0}-\\x{10ffff}]" : `[${body}]`;
}
