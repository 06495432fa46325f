import { useMemo, useState } from "react";
import type { Json, MachineDefinition } from "../../../../shared/machine/definition";
import type { Payload } from "../../../../shared/machine/guards";
import type { Context } from "../../../../shared/machine/actions";
import { normalize } from "../../../../shared/machine/normalize";
import { payloadFields, previewEvents, type EventPreview, type PayloadField } from "../../../../shared/machine/explore";
import type { ChartRun } from "../../../../shared/machine/chart-step";

/** The payload an editor's text stands for, or why it cannot be sent. */
export function parsePayload(text: string): { payload?: Payload; error?: string } {
  if (text.trim() === "") return { payload: {} };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { error: 'A payload is a JSON object, like {"sleep_eligible": true}.' };
  return { payload: v as Payload };
}

function effectText(p: EventPreview): string {
  const r = p.result;
  if (p.effect === "moves") return `→ ${r.path.slice(1).join(" → ")}`;
  if (p.effect === "stays") return r.assignments.length ? "handled here, remembers" : "handled here without leaving";
  if (p.effect === "blocked") return `blocked by guard ${r.guard?.name ?? ""}`;
  return "ignored";
}

/** A JSON payload editor with the fields the event's guards and actions read offered as chips. */
function PayloadEditor({ fields, text, onText, id }: { fields: PayloadField[]; text: string; onText(t: string): void; id: string }): React.JSX.Element {
  const parsed = parsePayload(text);
  const setField = (key: string, value: Json): void => {
    const base = parsed.payload ?? {};
    onText(JSON.stringify({ ...base, [key]: value }));
  };
  return (
    <div className="payload-editor">
      <label htmlFor={id} className="dim small">
        Payload (JSON)
      </label>
      <textarea id={id} className={`payload-text${parsed.error ? " is-invalid" : ""}`} spellCheck={false} rows={2} value={text} placeholder="{}" onChange={(e) => onText(e.target.value)} aria-invalid={parsed.error !== undefined} />
      {parsed.error && (
        <div className="payload-error" role="alert">
          {parsed.error}
        </div>
      )}
      {fields.length > 0 && (
        <div className="payload-chips" aria-label="Suggested fields">
          {fields.flatMap((f) =>
            [...(f.values.length ? f.values : [true]), ...(f.values.includes(false) || f.values.length > 1 ? [] : [false])].map((v) => (
              <button key={`${f.key}=${JSON.stringify(v)}`} type="button" className="chip" title={f.usedBy} onClick={() => setField(f.key, v)}>
                {f.key}: {JSON.stringify(v)}
              </button>
            )),
          )}
        </div>
      )}
    </div>
  );
}

/** Every event of the machine with what it would do from here: the ones that change something first. */
export function EventPalette({ machine, state, context, run, onSend }: { machine: MachineDefinition; state: string; context: Context; run?: ChartRun | undefined; onSend(event: string, payload: Payload): void }): React.JSX.Element {
  const [texts, setTexts] = useState<Map<string, string>>(new Map());
  const [open, setOpen] = useState<string | undefined>(undefined);
  const [free, setFree] = useState("");
  const [freePayload, setFreePayload] = useState("");
  const fieldsByEvent = useMemo(() => new Map(normalize(machine).events.map((e) => [e, payloadFields(machine, e)])), [machine]);
  const payloads = useMemo(() => {
    const m = new Map<string, Payload>();
    for (const [e, t] of texts) {
      const p = parsePayload(t).payload;
      if (p) m.set(e, p);
    }
    return m;
  }, [texts]);
  const previews = useMemo(() => previewEvents(machine, state, context, payloads, run), [machine, state, context, payloads, run]);
  const send = (event: string, text: string): void => {
    const p = parsePayload(text);
    if (p.payload) onSend(event, p.payload);
  };
  const freeParsed = parsePayload(freePayload);
  return (
    <section className="panel event-palette" aria-labelledby="palette-h">
      <h2 id="palette-h">Events from {state}</h2>
      <ul className="palette-list">
        {previews.map((p) => {
          const fields = fieldsByEvent.get(p.event) ?? [];
          const text = texts.get(p.event) ?? "";
          const invalid = parsePayload(text).error !== undefined;
          return (
            <li key={p.event} className={`palette-item effect-${p.effect}`} data-event={p.event} data-effect={p.effect}>
              <div className="palette-row">
                <button type="button" className="palette-send" disabled={invalid} onClick={() => send(p.event, text)} title={p.result.explanation} aria-label={`Send ${p.event}`}>
                  {p.event}
                </button>
                <span className="palette-effect" title={p.result.explanation}>
                  {effectText(p)}
                </span>
                {fields.length > 0 && (
                  <button type="button" className="ghost small" aria-expanded={open === p.event} onClick={() => setOpen(open === p.event ? undefined : p.event)} title="Edit the payload this event is sent with">
                    payload{text && text !== "{}" ? " •" : ""}
                  </button>
                )}
              </div>
              {open === p.event && <PayloadEditor id={`payload-${p.event}`} fields={fields} text={text} onText={(t) => setTexts(new Map(texts).set(p.event, t))} />}
            </li>
          );
        })}
      </ul>
      <form
        className="free-event"
        onSubmit={(e) => {
          e.preventDefault();
          if (free.trim() && freeParsed.payload) send(free.trim(), freePayload);
        }}
      >
        <label htmlFor="free-event" className="dim small">
          Any event name
        </label>
        <div className="free-row">
          <input id="free-event" value={free} onChange={(e) => setFree(e.target.value)} placeholder="event_name" spellCheck={false} />
          <button type="submit" disabled={!free.trim() || freeParsed.error !== undefined}>
            Send
          </button>
        </div>
        <PayloadEditor id="free-payload" fields={[]} text={freePayload} onText={setFreePayload} />
      </form>
    </section>
  );
}
