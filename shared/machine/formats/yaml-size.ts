/**
 * How big a YAML document is once its aliases are expanded, found before expanding anything: an
 * anchor of 1,000 values used by 1,000 aliases is a 20 KB file that stands for a million values.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document } from "yaml";

export interface ExpandedSize {
  /** Values (maps, lists, scalars, keys) the document stands for (Infinity for an alias inside its own anchor). */
  nodes: number;
  /** Whether aliases take part. */
  aliases: boolean;
}

/** Counts each node once (a memo per anchor), so the work is the document's size, not its expansion's. */
export function expandedSize(doc: Pick<Document, "contents">): ExpandedSize {
  const memo = new Map<unknown, number>();
  const open = new Set<unknown>();
  // Anchors as met in document order (an alias names the last anchor of that name before it);
  // Alias.resolve would search the whole document for each alias.
  const anchors = new Map<string, unknown>();
  let aliases = false;
  const size = (node: unknown): number => {
    if (node === null || node === undefined) return 0;
    const known = memo.get(node);
    if (known !== undefined) return known;
    // An alias to an anchor that holds it: toJS reports it; here it only must not loop.
    if (open.has(node)) return Infinity;
    open.add(node);
    if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) anchors.set(node.anchor, node);
    let n = 1;
    if (isAlias(node)) {
      aliases = true;
      const target = anchors.get(node.source);
      n = target === undefined ? 1 : size(target);
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        n += isPair(item) ? size(item.key) + size(item.value) : size(item);
      }
    } else if (!isScalar(node)) n = 1;
    open.delete(node);
    memo.set(node, n);
    return n;
  };
  return { nodes: size(doc.contents), aliases };
}

/** The offset where `[` and `{` first nest deeper than `max`, or undefined (quotes are not skipped: a cheap upper bound). */
export function flowDepth(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth -= 1;
  }
  return undefined;
}
