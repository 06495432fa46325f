/** The file-name part of a path (either separator), without Node's path module (shared/ is pure). */
function basename(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] ?? p;
}

export default { basename };
