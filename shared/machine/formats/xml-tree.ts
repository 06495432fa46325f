import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Diagnostic, Position } from "../diagnostics";
import { isRecord } from "../diagnostics";
import { LineIndex } from "./text-checks";
import { dict } from "../../dict";

/** An XML element with its attributes (entities decoded) and where it starts in the text. */
export interface XmlElement {
  /** Local name, without a namespace prefix. */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Offset of its "<". */
  start: number;
}

export interface XmlTree {
  root?: XmlElement;
  diagnostics: Diagnostic[];
  /** Position of an element, or of one of its attributes when `attr` is given and written. */
  position(el: XmlElement, attr?: string): Position;
}

const OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  captureMetaData: true,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
} as const;

/** Parse XML, reporting malformed XML with its line and column. */
export function parseXmlTree(text: string, file: string): XmlTree {
  const lines = new LineIndex(text);
  const position = (el: XmlElement, attr?: string): Position => lines.position(attr === undefined ? el.start : attributeOffset(text, el.start, attr));
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    const d: Diagnostic = { severity: "error", file, line, column: col, path: "", message: `invalid XML: ${msg.replace(/\.$/, "")}`, hint: "Check that every element is closed, in order, and that attribute values are quoted." };
    return { diagnostics: [d], position };
  }
  let nodes: unknown;
  try {
    nodes = new XMLParser(OPTIONS).parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { diagnostics: [{ severity: "error", file, path: "", message: `invalid XML: ${msg}`, hint: "Check the XML syntax." }], position };
  }
  const root = elements(nodes)[0];
  if (!root) return { diagnostics: [{ severity: "error", file, path: "", message: "the file has no XML element", hint: "Write an <scxml> element." }], position };
  return { root, diagnostics: [], position };
}

const META = XMLParser.getMetaDataSymbol();

function elements(nodes: unknown): XmlElement[] {
  if (!Array.isArray(nodes)) return [];
  const out: XmlElement[] = [];
  for (const node of nodes as unknown[]) {
    if (!isRecord(node)) continue;
    const tag = Object.keys(node).find((k) => k !== ":@");
    if (tag === undefined || tag.startsWith("#") || tag.startsWith("?")) continue;
    const rawAttrs = node[":@"];
    const attrs = dict<string>();
    if (isRecord(rawAttrs)) for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = String(v);
    const meta = (node as Record<symbol, unknown>)[META as symbol];
    const start = isRecord(meta) && typeof meta["startIndex"] === "number" ? meta["startIndex"] : 0;
    out.push({ name: tag.slice(tag.indexOf(":") + 1), attrs, children: elements(node[tag]), start });
  }
  return out;
}

/** Offset of `name=` inside the start tag at `start`, or `start` when it is not written there. */
function attributeOffset(text: string, start: number, name: string): number {
  let quote = "";
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") break;
    else if (/\s/.test(c ?? "") && text.startsWith(name, i + 1) && /^\s*=/.test(text.slice(i + 1 + name.length, i + 1 + name.length + 8))) return i + 1;
  }
  return start;
}
