import path from "node:path";

/**
 * Natural order of log and snapshot files: daily logs by date (an archive sorts with its plain
 * twin), snapshot-2 before snapshot-10. Works on names or paths.
 */
export function naturalOrder(a: string, b: string): number {
  const ka = path.basename(a).replace(/\.gz$/, "");
  const kb = path.basename(b).replace(/\.gz$/, "");
  return ka.localeCompare(kb, "en", { numeric: true });
}
