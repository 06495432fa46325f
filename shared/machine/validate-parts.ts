/** Checks shared by flat machines (validate.ts) and statecharts (validate-chart.ts). */
import { type DiagnosticList, describeValue, isRecord, pointer } from "./diagnostics";
import { ALWAYS, ANY_STATE } from "./normalize";
import { actionProblem } from "./actions";

/** Where problems go. */
export interface Reporter {
  out: DiagnosticList;
}

/** One transition as written, with where it is. */
export interface Written {
  from: string;
  event: string;
  index: number;
  path: string;
  /** Resolved target state; undefined when targetless or unresolvable. */
  target?: string;
  /** The target as written. */
  written?: string;
  targetless: boolean;
  guarded: boolean;
}

/** True when the guard is well formed (a name, or {type, params?}); reports it otherwise. */
export function checkGuard(m: Reporter, guard: unknown, path: string): boolean {
  const how = 'Write "guard": "name", or "guard": { "type": "payload", "params": { "key": "field" } }.';
  if (typeof guard === "string") {
    if (guard.trim() !== "") return true;
    m.out.error(path, "the guard's name is empty", how);
    return false;
  }
  if (!isRecord(guard) || typeof guard["type"] !== "string" || guard["type"] === "") {
    m.out.error(path, `a guard must be a name or an object { "type": ..., "params": {...} }, but this is ${isRecord(guard) ? "an object without a \"type\" name" : describeValue(guard)}`, how);
    return false;
  }
  const params = guard["params"];
  if (params !== undefined && !isRecord(params)) {
    m.out.error(`${path}/params`, `the guard's "params" must be an object, but it is ${describeValue(params)}`, 'Write "params": { "key": "field" }.');
    return false;
  }
  const extra = Object.keys(guard).filter((k) => k !== "type" && k !== "params");
  if (extra.length > 0) m.out.warning(path, `the guard has ${extra.map((k) => `"${k}"`).join(", ")} beside "type" and "params"; XState v5 passes only "params" to a guard`, `Move ${extra.length > 1 ? "them" : "it"} into "params".`);
  const type = guard["type"];
  const p = params ?? {};
  if ((type === "payload" || type === "not") && typeof p["key"] !== "string") {
    m.out.error(`${path}/params`, `a "${type}" guard needs "params.key", the payload field it tests`, `Write { "type": "${type}", "params": { "key": "field" } }.`);
    return false;
  }
  // Our guard types read "of"; another guard's params are its own (XState passes them as they are).
  if ((type === "payload" || type === "not" || type === "event") && p["of"] !== undefined && p["of"] !== "payload" && p["of"] !== "context") {
    m.out.error(`${path}/params/of`, `"of" says where the guard reads its key: "payload" (the event's, the default) or "context" (what the machine remembers), but it is ${describeValue(p["of"])}`, 'Write "of": "context" or remove it.');
    return false;
  }
  if (type === "event" && !(Array.isArray(p["in"]) && p["in"].length > 0 && p["in"].every((e) => typeof e === "string"))) {
    m.out.error(`${path}/params`, 'an "event" guard needs "params.in", the list of events it lets through', 'Write { "type": "event", "params": { "in": ["event_a", "event_b"] } }.');
    return false;
  }
  return true;
}

/** Actions as data (actions.ts): each a name or { type, params }; an assign's values well formed. */
export function checkActions(m: Reporter, actions: unknown, path: string): void {
  const list: [unknown, string][] = Array.isArray(actions) ? actions.map((a: unknown, i) => [a, pointer(path, i)]) : [[actions, path]];
  for (const [a, p] of list) {
    const problem = actionProblem(a);
    if (problem) m.out.error(p, problem.message, problem.hint);
  }
}

export function describeTransition(w: Written): string {
  return w.targetless ? "the targetless transition" : `the transition to "${w.target ?? w.written ?? "?"}"`;
}

/** An unguarded transition is always taken: any later one for the same event and state never is. */
export function checkDeterminism(m: Reporter, written: Written[]): void {
  const lists = new Map<string, Written[]>();
  for (const w of written) {
    const key = `${w.from}\u0000${w.event}`;
    const list = lists.get(key);
    if (list) list.push(w);
    else lists.set(key, [w]);
  }
  for (const list of lists.values()) {
    const first = list.find((w) => !w.guarded);
    if (!first) continue;
    for (const w of list) {
      if (w.index <= first.index) continue;
      const where = w.from === ANY_STATE ? "at the root" : `in state "${w.from}"`;
      const on = w.event === ALWAYS ? "eventless transitions" : `"${w.event}"`;
      const message = w.guarded
        ? `${describeTransition(w)} for ${on} ${where} can never be taken: ${describeTransition(first)} before it has no guard, so it is always taken first`
        : `two unguarded transitions for ${on} ${where} (${describeTransition(first)} and ${describeTransition(w)}): the machine is not deterministic, and the second is never taken`;
      m.out.error(w.path, message, "Give the first one a guard, remove the later one, or put the unguarded fallback last.");
    }
  }
}

/** Each node's strongly connected component (an index), by Tarjan's algorithm without recursion. */
export function strongComponents(nodes: readonly string[], next: (n: string) => string[]): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const stack: string[] = [];
  let counter = 0;
  let components = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: [string, string[], number][] = [];
    const open = (n: string): void => {
      index.set(n, counter);
      low.set(n, counter);
      counter += 1;
      stack.push(n);
      work.push([n, next(n), 0]);
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1] as [string, string[], number];
      const [n, succ, i] = top;
      if (i < succ.length) {
        top[2] = i + 1;
        const t = succ[i] as string;
        if (!index.has(t)) open(t);
        else if (!component.has(t)) low.set(n, Math.min(low.get(n) ?? 0, index.get(t) ?? 0));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0]) ?? 0, low.get(n) ?? 0));
      if (low.get(n) === index.get(n)) {
        for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
          component.set(x, components);
          if (x === n) break;
        }
        components += 1;
      }
    }
  }
  return component;
}

/**
 * A transition's own checks (its shape, `cond`, guard, actions, description); sets `w.guarded`.
 * Returns its target as written and where, or undefined (reported) when it is not a transition.
 */
export function transitionBody(m: Reporter, t: unknown, path: string, w: Written): { target: unknown; targetPath: string } | undefined {
  if (typeof t === "string") return { target: t, targetPath: path };
  if (!isRecord(t)) {
    m.out.error(path, `a transition must be a target state name or an object like { "target": "...", "guard": ... }, but this is ${describeValue(t)}`, 'Write "TARGET" or { "target": "TARGET" }.');
    return undefined;
  }
  if (t["cond"] !== undefined) m.out.error(`${path}/cond`, '"cond" is XState v4: XState v5 ignores it, so this transition would have no guard', 'Rename "cond" to "guard" (importing the file as an XState export does this for you).');
  if (t["guard"] !== undefined) w.guarded = checkGuard(m, t["guard"], `${path}/guard`);
  if (t["actions"] !== undefined) checkActions(m, t["actions"], `${path}/actions`);
  if (t["description"] !== undefined && typeof t["description"] !== "string") m.out.warning(`${path}/description`, "the description of this transition is not a string and is ignored", "Write it as text.");
  if (t["reenter"] !== undefined && typeof t["reenter"] !== "boolean") m.out.error(`${path}/reenter`, `"reenter" must be true or false, but it is ${describeValue(t["reenter"])}`, 'Write "reenter": true, or remove it.');
  return { target: t["target"], targetPath: `${path}/target` };
}
