/**
 * Redaction of saved recordings, as a property: whatever paths, host names and sensitive values a
 * session's observations hold — in sources, lock and signal paths, fields at any depth, messages,
 * warning keys, the session's target and title, and before the field that names them — the saved
 * file (decompressed, searched byte for byte) contains none of them, each host has one alias
 * throughout, and the file reopens whole.
 */
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { runs } from "../helpers/runs";
import { describe, expect, it } from "vitest";
import { readRecordingForIndex } from "../../electron/node/replay/recording-input";
import { prepareRecording, saveRecordingFile, type RecordingSource } from "../../electron/node/recording/write";
import { findProfile } from "../../shared/profiles";
import type { Profile } from "../../shared/profiles/profile";
import { REDACTED, Redactor } from "../../shared/recording/redact";
import type { RecordingHeader } from "../../shared/recording/format";
import type { NewObservation, Observation } from "../../shared/trace/observation";
import { tempDir } from "../helpers/tmp";

const duckgres = findProfile("duckgres") as Profile;
const profile: Profile = { ...duckgres, sensitiveFields: ["org_id", "owner.org", "pending_op.id"] };

const seg = fc.stringMatching(/^[a-z][a-z0-9_-]{2,7}$/);
const dirArb = fc.array(seg, { minLength: 2, maxLength: 4 }).map((s) => `/${s.join("/")}`);
const hostArb = fc.tuple(fc.stringMatching(/^[a-z]{2,5}[0-9a-f]{6}$/), fc.boolean()).map(([h, fq]) => (fq ? `${h}.corp.example.net` : h));
const secretArb = fc.stringMatching(/^org-[0-9a-f]{10}$/);

interface World {
  dir: string;
  files: string[];
  hosts: string[];
  secrets: string[];
}

const worldArb: fc.Arbitrary<World> = fc.record({
  dir: dirArb,
  files: fc.uniqueArray(seg, { minLength: 3, maxLength: 3 }),
  hosts: fc.uniqueArray(hostArb, { minLength: 5, maxLength: 5 }),
  secrets: fc.uniqueArray(secretArb, { minLength: 3, maxLength: 3 }),
}).map((w) => ({ ...w, files: w.files.map((f, i) => `${w.dir}/${i === 2 ? "with space/" : ""}${f}.jsonl`) }));

/** A session's worth of observations naming every path, host and secret of the world, in every place they occur. */
function observations(w: World): Observation[] {
  const [f1, f2, f3] = w.files as [string, string, string];
  const [h1, h2, h3, h4, h5] = w.hosts as [string, string, string, string, string];
  const [s1, s2, s3] = w.secrets as [string, string, string];
  const list: NewObservation[] = [
    // Named in a message before any field names it.
    { kind: "warning", code: "source-error", message: `${w.dir}/.locked names pid 12 on host "${h3}", not this machine; org ${s1} (${f3})`, key: `pid:${w.dir}/.locked:${h3}`, tsFrom: "observed", source: { file: `${w.dir}/.locked` } },
    { kind: "transition", instance: "7", from: "idle", to: "reserved", event: "reserve", verdict: "declared", ts: "2026-06-10T10:00:00Z", tsFrom: "artifact", source: { file: f1, line: 3 }, fields: { pod_name: h1, org_id: s1, owner: { org: s2, node_name: h2 }, worktree_path: `${w.dir}/wt`, note: `moved from ${h1} by ${h2}` } },
    { kind: "lock", path: `${w.dir}/state.lock`, holders: [{ pid: 44, comm: "ecluse", type: "PIDFILE", mode: "exclusive", since: "2026-06-10T10:00:01Z", host: h3 }], waiters: [], unavailable: `pid file names host ${h3}`, tsFrom: "observed", source: { file: `${w.dir}/state.lock` } },
    { kind: "event", instance: "7", name: "line", tsFrom: "artifact", ts: "2026-06-10T10:00:02Z", source: { file: f2, line: 9 }, fields: { message: `copied ${f1} to ${h4}:${w.dir}/backup (org ${s3})`, node: h4, nested: { hostname: h5, hosts: [h5, h4], "pending_op.id": s3 } } },
    { kind: "signal", path: `${w.dir}/wake.signal`, present: true, ageMs: 5, tsFrom: "observed", source: { file: `${w.dir}/wake.signal` }, fields: { requested_by: `${h5}`, file: f3 } },
    { kind: "state", instance: "7", state: "reserved", tsFrom: "artifact", source: { file: f3 }, fields: { "pending_op.id": s3, host: h2 } },
    { kind: "warning", code: "bad-line", message: `line 4 of ${f3} is not valid JSON; host ${h1}.`, tsFrom: "observed", source: { file: f3, line: 4 } },
  ];
  return list.map((o, i) => ({ ...o, seq: i + 1 }) as Observation);
}

function sourceOf(w: World): RecordingSource {
  const obs = observations(w);
  return {
    session: { title: `duckgres: ${path.basename(path.dirname(w.dir))}/${path.basename(w.dir)}`, kind: "live", target: w.dir, profileId: "duckgres", instanceLabel: "worker" },
    profile,
    async *observations() {
      yield obs;
    },
  };
}

async function saveAndRead(w: World, redact: { paths?: boolean; hosts?: boolean; sensitive?: boolean }): Promise<{ file: string; text: string }> {
  const prepared = await prepareRecording(sourceOf(w), redact, { name: "FSM Inspector", version: "test" }, "2026-06-10T12:00:00Z");
  const saved = await saveRecordingFile(prepared, path.join(tempDir(), "r"));
  return { file: saved.path, text: gunzipSync(fs.readFileSync(saved.path)).toString("utf8") };
}

describe("redacted recordings", () => {
  it("hold none of the original paths, hosts or sensitive values, and reopen whole", async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        const { file, text } = await saveAndRead(w, { paths: true, hosts: true, sensitive: true });
        const folders = [w.dir, path.dirname(w.dir), ...w.files.map((f) => path.dirname(f))].filter((d) => d.split("/").length > 2);
        for (const p of [...w.files, ...folders]) expect(text, p).not.toContain(p);
        for (const h of w.hosts) expect(text, h).not.toContain(h);
        for (const s of w.secrets) expect(text, s).not.toContain(s);
        // The title names the folder by its own name only.
        const header = JSON.parse(text.slice(0, text.indexOf("\n"))) as RecordingHeader;
        expect(header.session.target).toBe(path.basename(w.dir));
        expect(header.session.title).toBe(`duckgres: ${path.basename(w.dir)}`);
        expect(header.redacted).toEqual({ paths: true, hosts: true, sensitive: true });
        expect(header.redactions).toMatchObject({ hosts: 5, fields: ["org_id", "owner.org", "pending_op.id"] });
        // One alias per host, in the order fields name them, used everywhere: the lock holder's
        // host is the one the first message named before any field did.
        const obs = text.trim().split("\n").slice(1, -1).map((l) => JSON.parse(l) as Observation);
        const lock = obs.find((o) => o.kind === "lock");
        const first = obs[0];
        expect(lock?.kind === "lock" && lock.holders[0]?.host).toBe("host-3");
        expect(first?.kind === "warning" && first.message).toContain('on host "host-3"');
        expect(first?.kind === "warning" && first.key).toBe("pid:.locked:host-3");
        const t = obs.find((o) => o.kind === "transition");
        expect(t?.kind === "transition" && t.fields).toMatchObject({ pod_name: "host-1", org_id: REDACTED, owner: { org: REDACTED, node_name: "host-2" }, worktree_path: "wt" });
        expect(t?.source).toEqual({ file: path.basename(w.files[0] as string), line: 3 });
        // Reopens: every observation, no warning about the file.
        const rec = await readRecordingForIndex(file);
        let n = 0;
        let warnings = 0;
        for await (const batch of rec.batches(() => undefined)) {
          n += batch.length;
          warnings += batch.filter((i) => i.obs.kind === "warning" && i.obs.code === "bad-line" && i.obs.source.file === file).length;
        }
        expect(n).toBe(7);
        expect(warnings).toBe(0);
      }),
      { numRuns: runs(40) },
    );
  }, 120_000);

  it("changes nothing that was not asked for", async () => {
    const w = fc.sample(worldArb, { numRuns: 1, seed: 7 })[0] as World;
    const none = await saveAndRead(w, {});
    for (const v of [...w.files, ...w.hosts, ...w.secrets]) expect(none.text).toContain(v);
    const hostsOnly = await saveAndRead(w, { hosts: true });
    for (const h of w.hosts) expect(hostsOnly.text).not.toContain(h);
    for (const v of [...w.files, ...w.secrets]) expect(hostsOnly.text).toContain(v);
  });

  it("replaces a short sensitive value in its field only, and leaves machine names and times alone", () => {
    const r = new Redactor({ sensitive: true, hosts: true }, ["org_id"]);
    const o: Observation = { seq: 1, kind: "transition", instance: "42", from: "idle", to: "reserved", event: "reserve", ts: "2026-06-10T10:00:00Z", tsFrom: "artifact", source: { line: 42 }, fields: { org_id: 42, node: "3", message: "line 42 on node 3" } };
    r.learn(o);
    expect(r.observation(o)).toEqual({ ...o, fields: { org_id: REDACTED, node: "host-1", message: "line 42 on node 3" } });
  });
});
