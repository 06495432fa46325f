import type { GuardRef, Json, StateDef, TransitionDef, TransitionsDef } from "../definition";
import { DiagnosticList, hasErrors, pointer, type Position } from "../diagnostics";
import { defaultMachineId, validateMachine, type ValidationResult } from "../validate";
import { FSM_NS, guardFromCond } from "./scxml-cond";
import { checkText, stripBom } from "./text-checks";
import { parseXmlTree, type XmlElement, type XmlTree } from "./xml-tree";

/** The machine as read, before validation. */
interface Draft {
  id?: string;
  initial?: string;
  description?: string;
  meta?: Record<string, Json>;
  on?: Record<string, TransitionsDef>;
  states: Record<string, StateDef>;
}

const STATE_LIKE = new Set(["state", "final", "parallel", "history"]);

/**
 * Read an SCXML document as a flat machine: `<state>` and `<final>` children of `<scxml>`, each
 * `<transition event target cond>` one transition per event (none = eventless, no target =
 * targetless). A single top-level `<state>` wrapping all the others holds the root-level
 * transitions ("from any state"), as exportScxml writes them. Nested, parallel and history states
 * are reported, not guessed at.
 */
export function importScxml(text: string, file: string): ValidationResult {
  const unreadable = checkText(text, file, "an SCXML machine");
  if (unreadable) return { diagnostics: [unreadable] };
  const tree = parseXmlTree(stripBom(text), file);
  if (!tree.root) return { diagnostics: tree.diagnostics };
  const reader = new ScxmlReader(tree, file);
  const def = reader.read(tree.root);
  const locate = (p: string): Position | undefined => reader.positions.get(p);
  if (!def) return { diagnostics: reader.out.items };
  const checked = validateMachine(def, { file, locate });
  const diagnostics = [...reader.out.items, ...checked.diagnostics];
  if (hasErrors(diagnostics) || !checked.definition) return { diagnostics };
  return { definition: checked.definition, diagnostics };
}

class ScxmlReader {
  readonly positions = new Map<string, Position>();
  readonly out: DiagnosticList;
  private fsm = "fsm";
  private readonly firstSeen = new Map<string, XmlElement>();

  constructor(
    private readonly tree: XmlTree,
    file: string,
  ) {
    this.out = new DiagnosticList(file, (p) => this.positions.get(p));
  }

  private at(path: string, el: XmlElement, attr?: string): void {
    this.positions.set(path, this.tree.position(el, attr));
  }

  private ext(el: XmlElement, name: string): string | undefined {
    return el.attrs[`${this.fsm}:${name}`];
  }

  /** A name as written: percent-decoded when the file says its names are (`fsm:names="percent"`, names with spaces). */
  private name: (raw: string) => string = (raw) => raw;

  read(scxml: XmlElement): Draft | undefined {
    this.at("", scxml);
    if (scxml.name !== "scxml") {
      this.out.error("", `the root element is <${scxml.name}>, not <scxml>`, 'An SCXML file starts with <scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0">.');
      return undefined;
    }
    for (const [k, v] of Object.entries(scxml.attrs)) if (k.startsWith("xmlns:") && v === FSM_NS) this.fsm = k.slice(6);
    if (this.ext(scxml, "names") === "percent") {
      this.name = (raw) => {
        try {
          return decodeURIComponent(raw);
        } catch {
          return raw;
        }
      };
    }
    const tops = scxml.children.filter((c) => STATE_LIKE.has(c.name));
    const only = tops[0];
    const wrapper = tops.length === 1 && only?.name === "state" && only.children.some((c) => STATE_LIKE.has(c.name)) ? only : undefined;
    const container = wrapper ?? scxml;

    const def: Draft = { states: {} };
    const id = scxml.attrs["name"] ?? scxml.attrs["id"] ?? wrapper?.attrs["id"];
    if (id !== undefined) {
      def.id = id;
      this.at("/id", scxml, scxml.attrs["name"] !== undefined ? "name" : "id");
    } else {
      def.id = defaultMachineId(this.out.file);
      this.out.warning("", `the <scxml> element has no name; "${def.id}" is used`, `Add name="${def.id}" to <scxml> (it names the machine in diagrams and exports).`);
    }
    this.describe(def, scxml);
    for (const c of scxml.children) {
      if (c.name === "transition") this.errorAt(this.tree.position(c), "a <transition> directly inside <scxml> belongs to no state", "Put it in a state, or wrap all the states in one <state> to make it a transition from any state.");
    }

    let initial = this.initial(container);
    if (initial === undefined && wrapper) {
      // <scxml initial="idle"> may name a state inside the wrapper directly.
      const outer = this.initial(scxml);
      if (outer !== this.name(wrapper.attrs["id"] ?? "")) initial = outer;
    }
    const firstId = container.children.find((c) => c.name === "state" || c.name === "final")?.attrs["id"];
    initial ??= firstId === undefined ? undefined : this.name(firstId);
    if (initial !== undefined) def.initial = initial;

    if (wrapper) {
      const on = this.transitions(wrapper, "/on", true);
      if (Object.keys(on.on).length > 0) def.on = on.on;
      if (on.always.length > 0) this.out.error("", `the wrapping state "${wrapper.attrs["id"] ?? ""}" has eventless transitions, which would apply in every state`, "Put each eventless transition on the state it leaves.");
    }
    for (const el of container.children) this.state(def, el);
    return def;
  }

  private errorAt(pos: Position, message: string, hint: string): void {
    this.out.items.push({ severity: "error", file: this.out.file, ...pos, path: "", message, hint });
  }

  /** The `initial` attribute or `<initial><transition target>` child (else SCXML takes the first state). */
  private initial(el: XmlElement): string | undefined {
    const attr = el.attrs["initial"];
    const child = el.children.find((c) => c.name === "initial");
    let value: string | undefined;
    if (attr !== undefined) {
      value = attr;
      this.at("/initial", el, "initial");
    } else if (child) {
      const t = child.children.find((c) => c.name === "transition");
      value = t?.attrs["target"];
      if (t) this.at("/initial", t, "target");
    }
    if (value === undefined) return undefined;
    const names = value.trim().split(/\s+/).map(this.name);
    if (names.length > 1) this.out.error("/initial", `the initial state names ${names.length} states (${names.join(", ")}); a flat machine starts in one`, "Keep one state.");
    return names[0];
  }

  private describe(target: { description?: string; meta?: Record<string, Json> }, el: XmlElement): void {
    const description = this.ext(el, "description");
    if (description !== undefined) target.description = description;
    const meta = this.json(el, "meta");
    if (meta !== undefined && typeof meta === "object" && meta !== null && !Array.isArray(meta)) target.meta = meta;
  }

  private json(el: XmlElement, name: string): Json | undefined {
    const raw = this.ext(el, name);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as Json;
    } catch (e) {
      const pos = this.tree.position(el, `${this.fsm}:${name}`);
      this.errorAt(pos, `the ${this.fsm}:${name} attribute is not valid JSON (${e instanceof Error ? e.message : String(e)})`, `Fix the JSON, or remove the attribute${name === "guard" ? " to use the cond" : ""}.`);
      return undefined;
    }
  }

  private state(def: Draft, el: XmlElement): void {
    if (!STATE_LIKE.has(el.name)) return;
    const raw = el.attrs["id"];
    const id = raw === undefined ? undefined : this.name(raw);
    if (id === undefined || id === "") {
      this.positions.set("/states", this.tree.position(el));
      this.out.error("/states", `a <${el.name}> has no id`, `Give it a name: <${el.name} id="NAME">.`);
      return;
    }
    const path = pointer("/states", id);
    const first = this.firstSeen.get(id);
    if (first) {
      const a = this.tree.position(first);
      this.at(path, el);
      this.out.error(path, `duplicate state "${id}" (first at line ${a.line}): only one state may have this id`, "Rename one of them, or merge their transitions into one state.");
      return;
    }
    this.firstSeen.set(id, el);
    this.at(path, el);
    // Unsupported states are reported and kept as plain states, so their names still resolve.
    if (el.name === "parallel" || el.name === "history") {
      const hint = el.name === "parallel" ? `Describe each region of "${id}" as its own machine, or flatten the regions into combined states.` : `Remove it and point the transitions that target "${id}" at the state they should return to.`;
      this.out.error(path, `<${el.name} id="${id}"> is not supported: only flat machines (one active state) are`, hint);
    }
    const nested = el.children.find((c) => STATE_LIKE.has(c.name));
    if (nested && el.name !== "parallel") {
      this.at(`${path}/states`, nested);
      this.out.error(`${path}/states`, `state "${id}" has nested states; only flat machines (states side by side) are supported`, `Flatten it: move each child to the top level (e.g. "${id}_child") and copy the transitions of "${id}" to each of them (or wrap all states in one <state> to make them transitions from any state).`);
    }
    const state: StateDef = {};
    if (el.name === "final") state.type = "final";
    this.describe(state, el);
    const { on, always } = this.transitions(el, `${path}/on`, false);
    if (Object.keys(on).length > 0) state.on = on;
    if (always.length > 0) state.always = always;
    // defineProperty: an id like "__proto__" is a state name here, not the object's prototype.
    Object.defineProperty(def.states, id, { value: state, enumerable: true, writable: true, configurable: true });
  }

  private transitions(el: XmlElement, onPath: string, root: boolean): { on: Record<string, TransitionDef[]>; always: TransitionDef[] } {
    const on = new Map<string, TransitionDef[]>();
    const always: TransitionDef[] = [];
    const alwaysPath = onPath.replace(/\/on$/, "/always");
    for (const t of el.children) {
      if (t.name !== "transition") continue;
      const events = (t.attrs["event"] ?? "").trim().split(/\s+/).filter((e) => e !== "").map(this.name);
      for (const event of events.length > 0 ? events : [undefined]) {
        const group = event === undefined ? alwaysPath : pointer(onPath, event);
        if (!this.positions.has(group)) this.at(group, t);
        const list = event === undefined ? always : (on.get(event) ?? on.set(event, []).get(event) ?? []);
        const path = pointer(group, list.length);
        list.push(this.transition(t, path, root));
      }
    }
    return { on: Object.fromEntries(on), always };
  }

  private transition(el: XmlElement, path: string, root: boolean): TransitionDef {
    this.at(path, el);
    const t: TransitionDef = {};
    const targets = (el.attrs["target"] ?? "").trim().split(/\s+/).filter((x) => x !== "").map(this.name);
    if (targets.length > 0) {
      this.at(`${path}/target`, el, "target");
      t.target = targets.length === 1 ? `${root ? "." : ""}${targets[0]}` : targets;
    }
    const exact = this.json(el, "guard");
    const cond = el.attrs["cond"];
    if (exact !== undefined) {
      t.guard = exact as GuardRef;
      this.at(`${path}/guard`, el, `${this.fsm}:guard`);
    } else if (cond !== undefined && cond.trim() !== "") {
      t.guard = guardFromCond(cond);
      this.at(`${path}/guard`, el, "cond");
    }
    this.describe(t, el);
    return t;
  }
}
