/**
 * Redaction of a recording before it leaves the machine. Pure: the backend feeds it the
 * observations twice — once to learn (`learn`), once to write (`observation`) — so that a host
 * named in a message before the pid file that names it is replaced as well.
 *
 * - paths: file paths become base names (`/home/me/.iai-mcp/logs/x.jsonl` → `x.jsonl`): sources,
 *   lock and signal paths, the session's target and title, and any absolute path inside a message
 *   or a field value;
 * - hosts: values of fields named host, hostname, pod, pod_name, node, node_name (at any depth),
 *   pid files' lock-holder hosts and a database target's host become `host-1`, `host-2` … in the
 *   order first seen — the same name, the same alias, everywhere in the recording (in free text,
 *   as a word, when the name has a letter: a node called "3" is not every 3);
 * - sensitive: the fields the profile lists in `sensitiveFields` become "[redacted]"; their values
 *   of 4 characters or more are also removed wherever else they appear as a word.
 *
 * Machine names (states, events, verdicts) and times are never changed.
 */
import type { Json } from "../machine/definition";
import type { RedactOptions } from "../ipc/replay";
import type { LockHolder, Observation } from "../trace/observation";
import type { RecordingHeader } from "./format";

export const REDACTED = "[redacted]";
/** Fields whose string values name a host (at any depth of an observation's fields). */
export const HOST_FIELDS: readonly string[] = ["host", "hostname", "pod", "pod_name", "node", "node_name"];
/** Sensitive values shorter than this are replaced in their fields only (a 2-digit id would match every "42"). */
export const MIN_FREE_TEXT_VALUE = 4;

/** What was redacted, and how much of it (distinct values). */
export interface RedactionCounts {
  paths: number;
  hosts: number;
  sensitive: number;
  /** The profile's sensitive fields that were applied. */
  fields: string[];
}

/** Top-level observation keys that hold machine names, enums or times: never rewritten. */
const KEEP = new Set(["kind", "code", "verdict", "tsFrom", "ts", "since", "from", "to", "state", "event", "name", "seq", "dwellMs", "containerDwell", "ageMs", "ageFrom", "present", "stale", "cleared"]);
/** Holder keys that are not text to scrub. */
const HOLDER_KEEP = new Set(["pid", "type", "mode", "since", "blocked", "stale"]);

/** A word that could be a host name or an id: scrubbed by lookup, not by a regular expression per value. */
const WORD_RE = /[A-Za-z0-9_.-]+/g;
const WORD_ONLY = /^[A-Za-z0-9_.-]+$/;
/**
 * An absolute POSIX path of at least two parts, or a Windows one, standing on its own in a text
 * (after a space, a quote, `=`, `:` … — not inside a URL, whose `//` never starts a path here).
 */
const PATH_RE = /(^|[\s"'`=(<[{,;:])(\/(?:[^\s"'`<>|;,()[\]{}/]+\/)+[^\s"'`<>|;,()[\]{}/]*|[A-Za-z]:\\(?:[^\s"'`<>|;,()[\]{}\\]+\\)+[^\s"'`<>|;,()[\]{}\\]*)/g;

function baseName(p: string): string {
  const trimmed = p.replace(/[\\/]+$/, "");
  const parts = trimmed.split(/[\\/]/);
  return parts[parts.length - 1] || trimmed;
}

function isAbsolutePath(v: string): boolean {
  return (v.startsWith("/") && v.length > 1) || /^[A-Za-z]:\\/.test(v);
}

/** The host of a connection string (`postgres://user:***@db.internal:5432/x` → `db.internal`). */
function urlHost(text: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(text);
  return m?.[1];
}

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class Redactor {
  readonly opts: Required<RedactOptions>;
  /** Host name → alias, in the order first seen. */
  private readonly hosts = new Map<string, string>();
  /** Host names also replaced in free text (those with a letter: a node called "3" is not every 3). */
  private readonly hostWords = new Set<string>();
  /** Host names that are not one word (rare): replaced literally. */
  private readonly oddHosts = new Set<string>();
  private readonly sensitiveWords = new Set<string>();
  private readonly oddSensitive = new Set<string>();
  /** Known paths that a path token cannot catch (they hold spaces or quotes): replaced literally. */
  private readonly oddPaths = new Set<string>();
  private readonly pathsSeen = new Set<string>();
  private readonly sensitiveSeen = new Set<string>();
  private literals: [string, string][] | undefined;
  private readonly fields: readonly string[];

  constructor(opts: RedactOptions, sensitiveFields: readonly string[] = []) {
    this.opts = { paths: opts.paths === true, hosts: opts.hosts === true, sensitive: opts.sensitive === true };
    this.fields = this.opts.sensitive ? sensitiveFields : [];
  }

  /** Whether anything is redacted at all. */
  get active(): boolean {
    return this.opts.paths || this.opts.hosts || (this.opts.sensitive && this.fields.length > 0);
  }

  counts(): RedactionCounts {
    return { paths: this.pathsSeen.size, hosts: this.hosts.size, sensitive: this.sensitiveSeen.size, fields: [...this.fields] };
  }

  // ---- learning -----------------------------------------------------------------------------

  private host(name: string): string {
    let alias = this.hosts.get(name);
    if (alias === undefined) {
      alias = `host-${this.hosts.size + 1}`;
      this.hosts.set(name, alias);
      if (/[A-Za-z]/.test(name) && name.length >= 2) {
        if (WORD_ONLY.test(name)) this.hostWords.add(name);
        else {
          this.oddHosts.add(name);
          this.literals = undefined;
        }
      }
    }
    return alias;
  }

  private sensitiveValue(v: Json): void {
    if (v === null || typeof v === "object" || typeof v === "boolean") return;
    const text = String(v);
    this.sensitiveSeen.add(text);
    if (text.length < MIN_FREE_TEXT_VALUE) return;
    if (WORD_ONLY.test(text)) this.sensitiveWords.add(text);
    else if (!this.oddSensitive.has(text)) {
      this.oddSensitive.add(text);
      this.literals = undefined;
    }
  }

  private path(p: string): void {
    if (!isAbsolutePath(p)) return;
    if (/[\s"'`<>|;,()[\]{}]/.test(p) && !this.oddPaths.has(p)) {
      this.oddPaths.add(p);
      this.literals = undefined;
    }
  }

  /** The session a recording is made of: its target (a path, or a database's host). */
  learnSession(session: RecordingHeader["session"]): void {
    if (this.opts.paths) this.path(session.target);
    if (this.opts.hosts) {
      const h = urlHost(session.target);
      if (h !== undefined) this.host(h);
    }
  }

  /**
   * First pass: learns the hosts, sensitive values and paths an observation names (it is redacted
   * as the second pass will, and the result dropped), so that the second pass also replaces them
   * where they appear before the field that names them.
   */
  learn(o: Observation): void {
    this.observation(o);
  }

  // ---- applying -----------------------------------------------------------------------------

  private literalPairs(): [string, string][] {
    if (!this.literals) {
      const pairs: [string, string][] = [];
      for (const s of this.oddSensitive) pairs.push([s, REDACTED]);
      for (const h of this.oddHosts) pairs.push([h, this.hosts.get(h) ?? "host"]);
      for (const p of this.oddPaths) pairs.push([p, baseName(p)]);
      // Longest first: a path is replaced before the folder it is in.
      this.literals = pairs.sort((a, b) => b[0].length - a[0].length);
    }
    return this.literals;
  }

  /** Any text, with every learnt host, sensitive value and absolute path replaced. */
  text(s: string): string {
    let out = s;
    for (const [from, to] of this.literalPairs()) if (out.includes(from)) out = out.split(from).join(to);
    if (this.hostWords.size > 0 || this.sensitiveWords.size > 0) {
      out = out.replace(WORD_RE, (word) => this.word(word));
    }
    if (this.opts.paths && (out.includes("/") || out.includes("\\"))) {
      out = out.replace(PATH_RE, (_m, before: string, p: string) => {
        this.pathsSeen.add(p);
        return `${before}${baseName(p)}`;
      });
    }
    return out;
  }

  /** One word: a host's alias, "[redacted]", or itself (also `web1` in `web1.example.com`, and a word before a full stop). */
  private word(w: string): string {
    const direct = this.wordValue(w);
    if (direct !== undefined) return direct;
    const trimmed = w.replace(/\.+$/, "");
    if (trimmed !== w && trimmed !== "") {
      const v = this.wordValue(trimmed);
      if (v !== undefined) return v + w.slice(trimmed.length);
    }
    const dot = w.indexOf(".");
    if (dot > 0) {
      const v = this.wordValue(w.slice(0, dot));
      if (v !== undefined) return v + this.word(w.slice(dot));
    }
    return w;
  }

  private wordValue(w: string): string | undefined {
    if (this.sensitiveWords.has(w)) return REDACTED;
    return this.hostWords.has(w) ? this.hosts.get(w) : undefined;
  }

  private filePath(p: string): string {
    if (this.opts.paths && isAbsolutePath(p)) {
      this.path(p);
      this.pathsSeen.add(p);
      return baseName(p);
    }
    return this.text(p);
  }

  private holder(h: LockHolder): LockHolder {
    const out = { ...h };
    for (const k of Object.keys(out) as (keyof LockHolder)[]) {
      const v = out[k];
      if (typeof v === "string" && !HOLDER_KEEP.has(k)) (out as Record<string, unknown>)[k] = this.text(v);
    }
    if (h.host !== undefined && this.opts.hosts) out.host = this.host(h.host);
    return out;
  }

  /** A copy of an observation's fields: host fields aliased, paths shortened, sensitive fields replaced, all text scrubbed. */
  private fieldsOf(fields: Record<string, Json>): Record<string, Json> {
    const copy = (v: Json, key: string | undefined): Json => {
      if (typeof v === "string") {
        if (key !== undefined && this.opts.hosts && HOST_FIELDS.includes(lastPart(key)) && v.trim() !== "") return this.host(v);
        if (this.opts.paths && isAbsolutePath(v)) return this.filePath(v);
        return this.text(v);
      }
      // A list under a host field is a list of hosts.
      if (Array.isArray(v)) return v.map((x) => copy(x, key));
      if (isObject(v)) {
        const out = Object.create(Object.getPrototypeOf(v) === null ? null : Object.prototype) as Record<string, Json>;
        for (const k of Object.keys(v)) out[k] = copy(v[k] as Json, k);
        return out;
      }
      return v;
    };
    const out = copy(fields, undefined) as Record<string, Json>;
    for (const f of this.fields) {
      for (const v of valuesAt(fields, f)) this.sensitiveValue(v);
      replaceAt(out, f, REDACTED);
    }
    return out;
  }

  /** Second pass: the observation as it goes into the recording. */
  observation(o: Observation): Observation {
    if (!this.active) return o;
    const out = { ...o } as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (KEEP.has(k)) continue;
      if (typeof v === "string") out[k] = k === "path" ? this.filePath(v) : this.text(v);
    }
    const source = { ...o.source };
    if (source.file !== undefined) source.file = this.filePath(source.file);
    if (source.table !== undefined) source.table = this.text(source.table);
    out["source"] = source;
    if (o.kind === "lock") {
      out["holders"] = o.holders.map((h) => this.holder(h));
      out["waiters"] = o.waiters.map((h) => this.holder(h));
    }
    if ("fields" in o && o.fields) out["fields"] = this.fieldsOf(o.fields);
    return out as unknown as Observation;
  }

  /** The header, its session named without what is redacted, saying what was. */
  header(h: RecordingHeader): RecordingHeader {
    const session = { ...h.session };
    const target = session.target;
    if (this.opts.hosts) {
      const host = urlHost(target);
      if (host !== undefined) this.host(host);
    }
    session.target = this.filePath(target);
    let title = this.text(session.title);
    if (this.opts.paths && isAbsolutePath(target)) {
      // Titles name a folder as "parent/.hidden" (repo/.ecluse): keep only its own name.
      const base = baseName(target);
      const parent = baseName(target.slice(0, target.length - base.length - 1) || "/");
      if (parent) title = title.split(`${parent}/${base}`).join(base);
      title = title.split(target).join(base);
    }
    session.title = title;
    const before = h.redacted;
    const redacted: Required<RedactOptions> = {
      paths: this.opts.paths || before.paths === true,
      hosts: this.opts.hosts || before.hosts === true,
      sensitive: this.opts.sensitive || before.sensitive === true,
    };
    return { ...h, session, redacted, redactions: this.counts() };
  }
}

function lastPart(key: string): string {
  const i = key.lastIndexOf(".");
  return i < 0 ? key : key.slice(i + 1);
}

/** Values of a dotted field path: nested (`owner.org_id`), or a flat key written with the dot (`pending_op.id`). */
function valuesAt(fields: Record<string, Json>, path: string): Json[] {
  const out: Json[] = [];
  if (Object.prototype.hasOwnProperty.call(fields, path)) out.push(fields[path] as Json);
  if (path.includes(".")) {
    let cur: Json | undefined = fields;
    for (const part of path.split(".")) {
      cur = isObject(cur) && Object.prototype.hasOwnProperty.call(cur, part) ? cur[part] : undefined;
      if (cur === undefined) break;
    }
    if (cur !== undefined) out.push(cur);
  }
  return out;
}

/** Replaces the value(s) at a dotted field path (nested or flat), leaving null as null. */
function replaceAt(fields: Record<string, Json>, path: string, value: Json): void {
  if (Object.prototype.hasOwnProperty.call(fields, path) && fields[path] !== null) fields[path] = value;
  if (!path.includes(".")) return;
  const parts = path.split(".");
  let cur: Json | undefined = fields;
  for (const part of parts.slice(0, -1)) {
    cur = isObject(cur) && Object.prototype.hasOwnProperty.call(cur, part) ? cur[part] : undefined;
    if (cur === undefined) return;
  }
  const last = parts[parts.length - 1] as string;
  if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, last) && cur[last] !== null) cur[last] = value;
}
