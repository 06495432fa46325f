import { memo } from "react";
import { useShallow } from "zustand/react/shallow";
import { useStore } from "../../store/store";
import { formatCount } from "./format-count";
import { SPEEDS, speedLabel, speedTitle } from "./playback";
import { useReplayController } from "./use-replay";
import { useApi } from "../../hooks/api-context";
import { forkActiveView } from "../sandbox/fork";
import { toUserFacing } from "../../../../shared/errors";

/** Play / pause, speed, one transition back or forward, previous / next anomaly, where the cursor is. */
export const PlaybackControls = memo(function PlaybackControls({ sessionId }: { sessionId: string }): React.JSX.Element {
  const controller = useReplayController();
  const r = useStore(
    useShallow((s) => {
      const x = s.replays[sessionId];
      return { playing: x?.playing ?? false, speed: x?.speed ?? 10, position: x?.position ?? 0, total: x?.total ?? 0, timed: x?.timeline?.timed ?? true, line: x?.current?.source.line, file: x?.current?.source.file };
    }),
  );
  const setSpeed = useStore((s) => s.setSpeed);
  const showError = useStore((s) => s.showError);
  const api = useApi();
  const where = r.file ? `${r.file}${r.line !== undefined ? `:${r.line}` : ""}` : undefined;
  return (
    <div className="replay-controls" role="toolbar" aria-label="Playback">
      <div className="replay-buttons">
        <button type="button" className="ghost small" onClick={() => controller.step(sessionId, "prev", "anomaly")} title="Previous anomaly (p)" aria-label="Previous anomaly">
          ◁ anomaly
        </button>
        <button type="button" className="ghost small step" onClick={() => controller.step(sessionId, "prev", "transition")} title="One transition back (←)" aria-label="One transition back">
          ◀
        </button>
        <button type="button" className={`small play${r.playing ? " is-playing" : ""}`} onClick={() => controller.togglePlay(sessionId)} title={`${r.playing ? "Pause" : "Play"} (space)`} aria-label={r.playing ? "Pause" : "Play"} data-testid="play">
          {r.playing ? "❚❚ Pause" : "▶ Play"}
        </button>
        <button type="button" className="ghost small step" onClick={() => controller.step(sessionId, "next", "transition")} title="One transition forward (→)" aria-label="One transition forward">
          ▶
        </button>
        <button type="button" className="ghost small" onClick={() => controller.step(sessionId, "next", "anomaly")} title="Next anomaly (n)" aria-label="Next anomaly">
          anomaly ▷
        </button>
      </div>
      <div className="speed-choice" role="group" aria-label="Playback speed">
        {SPEEDS.map((sp) => (
          <button key={String(sp)} type="button" className={`chip${r.speed === sp ? " is-on" : ""}`} aria-pressed={r.speed === sp} title={speedTitle(sp, r.timed)} onClick={() => setSpeed(sessionId, sp)}>
            {speedLabel(sp)}
          </button>
        ))}
      </div>
      <button type="button" className="ghost small fork-button" onClick={() => forkActiveView(api).catch((e: unknown) => showError(toUserFacing(e)))} title="Step a private copy of the machine from here: the instance at the cursor, with its recorded history (x)">
        Fork to sandbox here
      </button>
      <span className="replay-position" data-testid="replay-position" data-position={r.position} data-total={r.total} data-line={r.line ?? ""} title={where}>
        #{formatCount(r.position)} <span className="dim">of {formatCount(r.total)}</span>
      </span>
    </div>
  );
});
