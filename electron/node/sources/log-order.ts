/** Daily logs sort by name (the date is in it); an archive sorts with its plain twin. */
export function byDay(a: string, b: string): number {
  const ka = a.replace(/\.gz$/, "");
  const kb = b.replace(/\.gz$/, "");
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
