import type { GuardRef, Json, StateDef, TransitionDef, TransitionsDef } from "../definition";
import { DiagnosticList, hasErrors, pointer, type Position } from "../diagnostics";
import { defaultMachineId, validateMachine, type ValidationResult } from "../validate";
import { FSM_NS, guardFromCond } from "./scxml-cond";
import { asksForChart, scxmlTimers } from "./scxml-ext";
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
  eventMatching?: "scxml";
}

const STATE_LIKE = new Set(["state", "final", "parallel", "history"]);

/**
 * Read an SCXML document as a flat machine: `<state>` and `<final>` children of `<scxml>`, each
 * `<transition event target cond>` one transition per event (none = eventless, no target =
 * targetless). A single top-level `<state>` wrapping all the others holds the root-level
 * transitions ("from any state"), as exportScxml writes them. Nested, parallel and history states
 * are reported, not guessed at.
 */
export function importScxml(text: string, file: string, opts: ScxmlOptions = {}): ScxmlImport {
  const unreadable = checkText(text, file, "an SCXML machine");
  if (unreadable) return { diagnostics: [unreadable], unevaluated: [] };
  const tree = parseXmlTree(stripBom(text), file);
  if (!tree.root) return { diagnostics: tree.diagnostics, unevaluated: [] };
  const reader = new ScxmlReader(tree, file);
  const def = opts.semantics || needsChart(tree.root) || asksForChart(tree.root) ? reader.readChart(tree.root) : reader.read(tree.root);
  const locate = (p: string): Position | undefined => reader.positions.get(p);
  if (!def) return { diagnostics: reader.out.items, unevaluated: reader.unevaluated };
  const checked = validateMachine(def, { file, locate });
  const diagnostics = [...reader.out.items, ...checked.diagnostics];
  if (hasErrors(diagnostics) || !checked.definition) return { diagnostics, unevaluated: reader.unevaluated };
  return { definition: checked.definition, diagnostics, unevaluated: reader.unevaluated };
}

export interface ScxmlOptions {
  /**
   * Read the document as a statechart with SCXML's own semantics even when it is flat: event
   * descriptors match by prefix, transitions are tried in document order (what `simulate` needs).
   * A document with nested, parallel or history states is always read so.
   */
  semantics?: boolean;
}

/** Something in the document whose effect is never computed here (a cond, executable content, a data model). */
export interface Unevaluated {
  element: string;
  line: number;
  /** Why it matters: "its cond expression decides whether the transition is taken". */
  why: string;
}

export type ScxmlImport = ValidationResult & { unevaluated: Unevaluated[] };

/** Elements of executable content that change what happens next (others, like <log>, do not). */
const EFFECTFUL: Record<string, string> = {
  raise: "it raises an event",
  send: "it sends an event",
  script: "its script may do anything",
  assign: "it changes the data model",
  if: "its conditions are expressions",
  foreach: "it runs over the data model",
  invoke: "it starts another service",
  datamodel: "the machine's behaviour may depend on its data",
  donedata: "it computes data for the done event",
  cancel: "it cancels a sent event",
};

/** Does the document use anything a flat machine cannot say (nesting, parallel or history states, several initial states)? */
function needsChart(scxml: XmlElement): boolean {
  let found = false;
  const walk = (el: XmlElement): void => {
    if (el.name === "parallel" || el.name === "history" || /\s/.test((el.attrs["initial"] ?? "").trim())) found = true;
    for (const c of el.children) walk(c);
  };
  walk(scxml);
  if (found) return true;
  const tops = scxml.children.filter((c) => STATE_LIKE.has(c.name));
  const only = tops[0];
  const wrapper = tops.length === 1 && only?.name === "state" && only.children.some((c) => STATE_LIKE.has(c.name)) ? only : undefined;
  const level = wrapper ? wrapper.children : tops;
  return level.some((c) => c.children.some((g) => STATE_LIKE.has(g.name)));
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
    if (!this.begin(scxml)) return undefined;
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

  /** Everything whose effect is never computed here (simulate refuses a machine that has any). */
  readonly unevaluated: Unevaluated[] = [];
  private order = 0;
  private generated = 0;

  /**
   * Read the document as a statechart with SCXML's semantics: states nest as written (each keyed
   * and identified by its SCXML id), targets are `#id`, transitions keep their document order and
   * are external unless `type="internal"` (XState's `reenter`), `initial` naming several or deeper
   * states becomes a transient first child whose eventless transition enters them.
   */
  readChart(scxml: XmlElement): Draft | undefined {
    if (!this.begin(scxml)) return undefined;
    this.assignIds(scxml);
    const def: Draft = { states: {}, eventMatching: "scxml" };
    const id = scxml.attrs["name"];
    def.id = id ?? defaultMachineId(this.out.file);
    if (id !== undefined) this.at("/id", scxml, "name");
    this.describe(def, scxml);
    this.noteEffects(scxml);
    for (const c of scxml.children) {
      if (c.name === "transition") this.errorAt(this.tree.position(c), "a <transition> directly inside <scxml> belongs to no state", "Put it in a state.");
    }
    const first = scxml.children.find((c) => STATE_LIKE.has(c.name) && c.name !== "history");
    const initial = this.chartInitial(def.states, scxml, "") ?? (first ? this.idOf(first) : undefined);
    if (initial !== undefined) def.initial = initial;
    for (const el of scxml.children) this.chartState(def.states, el, "/states");
    return def;
  }

  /** The root checked, its names' encoding read; false (reported) when it is not <scxml>. */
  private begin(scxml: XmlElement): boolean {
    this.at("", scxml);
    if (scxml.name !== "scxml") {
      this.out.error("", `the root element is <${scxml.name}>, not <scxml>`, 'An SCXML file starts with <scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0">.');
      return false;
    }
    this.readNames(scxml);
    return true;
  }

  private readNames(scxml: XmlElement): void {
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
  }

  /** Every state's id, given before reading (SCXML generates the ids left out; they are handed out in document order). */
  private readonly ids = new Map<XmlElement, string>();

  private idOf(el: XmlElement): string {
    const known = this.ids.get(el);
    if (known !== undefined) return known;
    const raw = el.attrs["id"];
    let id = raw !== undefined && raw !== "" ? this.name(raw) : undefined;
    if (id === undefined) {
      this.generated += 1;
      id = `_${el.name}${this.generated}`;
    }
    this.ids.set(el, id);
    return id;
  }

  private assignIds(el: XmlElement): void {
    for (const c of el.children) {
      if (STATE_LIKE.has(c.name)) this.idOf(c);
      this.assignIds(c);
    }
  }

  /** The `initial` of a state (or of <scxml>): a child's key, or a transient child entering several or deeper states. */
  private chartInitial(states: Record<string, StateDef>, el: XmlElement, path: string): string | undefined {
    const attr = el.attrs["initial"];
    const child = el.children.find((c) => c.name === "initial");
    const t = child?.children.find((c) => c.name === "transition");
    const raw = attr ?? t?.attrs["target"];
    if (raw === undefined) return undefined;
    this.at(`${path}/initial`, t ?? el, t ? "target" : "initial");
    const targets = raw.trim().split(/\s+/).filter((x) => x !== "").map(this.name);
    if (t) this.noteEffects(t);
    const direct = el.children.filter((c) => STATE_LIKE.has(c.name)).map((c) => this.idOf(c));
    if (targets.length === 1 && direct.includes(targets[0] as string) && !t?.children.length) return targets[0];
    const key = ":initial";
    this.at(pointer(path, "states", key), t ?? el);
    const state: StateDef = { always: { target: targets.map((x) => `#${x}`), documentOrder: this.next() } as TransitionDef, meta: { transient: true } };
    Object.defineProperty(states, key, { value: state, enumerable: true, writable: true, configurable: true });
    return key;
  }

  private next(): number {
    this.order += 1;
    return this.order;
  }

  /** Record executable content and data whose effect is never computed; returns the action names to show. */
  private noteEffects(el: XmlElement, known: ReadonlySet<XmlElement> = new Set()): string[] {
    const names: string[] = [];
    for (const c of el.children) {
      if ((c.name === "datamodel" && c.children.length === 0) || known.has(c)) continue;
      const why = EFFECTFUL[c.name];
      if (why !== undefined) this.unevaluated.push({ element: `<${c.name}>`, line: this.tree.position(c).line, why });
      if (c.name === "raise" || c.name === "send") names.push(`${c.name} ${c.attrs["event"] ?? c.attrs["eventexpr"] ?? ""}`.trim());
      else if (c.name === "log") names.push(`log${c.attrs["label"] ? ` ${c.attrs["label"]}` : ""}`);
      else if (why !== undefined && c.name !== "datamodel" && c.name !== "invoke" && c.name !== "donedata") names.push(c.name);
    }
    return names;
  }

  private chartState(states: Record<string, StateDef>, el: XmlElement, at: string): void {
    if (!STATE_LIKE.has(el.name)) return;
    const id = this.idOf(el);
    const path = pointer(at, id);
    const first = this.firstSeen.get(id);
    this.at(path, el);
    if (first) {
      const a = this.tree.position(first);
      this.out.error(path, `duplicate state id "${id}" (first at line ${a.line}): every state needs its own id`, "Rename one of them.");
      return;
    }
    this.firstSeen.set(id, el);
    const state: StateDef = { id };
    if (el.name === "final") state.type = "final";
    if (el.name === "parallel") state.type = "parallel";
    this.describe(state, el);
    this.noteEffects(el);
    // SCXML's timeout idiom (a delayed <send> on entry, cancelled on exit) is a delayed transition.
    const timers = scxmlTimers(el);
    for (const c of el.children) {
      if (c.name !== "onentry" && c.name !== "onexit") continue;
      const names = this.noteEffects(c, timers.elements);
      if (names.length > 0) (state as Record<string, unknown>)[c.name === "onentry" ? "entry" : "exit"] = names.map((n) => ({ type: n }));
    }
    if (el.name === "history") {
      state.type = "history";
      const depth = el.attrs["type"];
      if (depth === "deep") state.history = "deep";
      else if (depth !== undefined && depth !== "shallow") this.out.error(path, `<history id="${id}"> has type="${depth}"; it must be "shallow" or "deep"`, 'Write type="deep" or type="shallow".');
      const t = el.children.find((c) => c.name === "transition");
      const targets = (t?.attrs["target"] ?? "").trim().split(/\s+/).filter((x) => x !== "").map(this.name);
      if (t) this.noteEffects(t);
      if (targets.length > 0) state.target = targets.map((x) => `#${x}`);
    }
    const kids = el.children.filter((c) => STATE_LIKE.has(c.name));
    if (kids.length > 0 && el.name !== "history" && el.name !== "final") {
      state.states = {};
      if (el.name === "state") {
        const first = kids.find((c) => c.name !== "history");
        const initial = this.chartInitial(state.states, el, path) ?? (first ? this.idOf(first) : undefined);
        if (initial !== undefined) state.initial = initial;
      }
      for (const c of kids) this.chartState(state.states, c, `${path}/states`);
    }
    if (el.name !== "history") {
      const descendants = new Set<string>();
      const collect = (e: XmlElement): void => {
        for (const c of e.children) {
          if (!STATE_LIKE.has(c.name)) continue;
          if (c.attrs["id"] !== undefined) descendants.add(this.name(c.attrs["id"]));
          collect(c);
        }
      };
      collect(el);
      this.chartTransitions(state, el, path, el.name === "state" && kids.length > 0, descendants, timers.delays);
    }
    Object.defineProperty(states, id, { value: state, enumerable: true, writable: true, configurable: true });
  }

  private chartTransitions(state: StateDef, el: XmlElement, path: string, compound: boolean, descendants: Set<string>, timers: ReadonlyMap<string, number>): void {
    const on = new Map<string, TransitionDef[]>();
    const always: TransitionDef[] = [];
    const after = new Map<string, TransitionDef[]>();
    for (const t of el.children) {
      if (t.name !== "transition") continue;
      const order = this.next();
      const events = (t.attrs["event"] ?? "").trim().split(/\s+/).filter((e) => e !== "").map(this.name);
      const targets = (t.attrs["target"] ?? "").trim().split(/\s+/).filter((x) => x !== "").map(this.name);
      const def: TransitionDef = { documentOrder: order };
      if (targets.length > 0) {
        def.target = targets.length === 1 ? `#${targets[0] as string}` : targets.map((x) => `#${x}`);
        const internal = t.attrs["type"] === "internal" && compound && targets.every((x) => descendants.has(x));
        if (!internal) def.reenter = true;
      }
      const cond = t.attrs["cond"];
      const exact = this.json(t, "guard");
      if (exact !== undefined) def.guard = exact as GuardRef;
      else if (cond !== undefined && cond.trim() !== "") {
        def.guard = guardFromCond(cond);
        this.unevaluated.push({ element: "<transition cond>", line: this.tree.position(t, "cond").line, why: `its cond "${cond.trim()}" is an expression, which is never evaluated here` });
      }
      const actions = this.noteEffects(t);
      if (actions.length > 0) def.actions = actions.map((type) => ({ type }));
      this.describe(def, t);
      const delay = events.length === 1 ? timers.get((t.attrs["event"] ?? "").trim()) : undefined;
      if (delay !== undefined) {
        const key = String(delay);
        const list = after.get(key) ?? after.set(key, []).get(key) ?? [];
        this.at(pointer(`${path}/after`, key, list.length), t);
        list.push(def);
        continue;
      }
      for (const event of events.length > 0 ? events : [undefined]) {
        const group = event === undefined ? `${path}/always` : pointer(`${path}/on`, event);
        const list = event === undefined ? always : (on.get(event) ?? on.set(event, []).get(event) ?? []);
        const p = pointer(group, list.length);
        if (!this.positions.has(group)) this.at(group, t);
        this.at(p, t);
        if (targets.length > 0) this.at(`${p}/target`, t, "target");
        if (def.guard !== undefined) this.at(`${p}/guard`, t, cond !== undefined ? "cond" : `${this.fsm}:guard`);
        list.push({ ...def });
      }
    }
    if (on.size > 0) state.on = Object.fromEntries(on);
    if (always.length > 0) state.always = always;
    if (after.size > 0) state.after = Object.fromEntries(after);
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
