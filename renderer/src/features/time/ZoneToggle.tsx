import { memo } from "react";
import { useStore } from "../../store/store";
import { zoneLabel } from "./format-time";

/** Says which time zone the times are shown in; a click (or `u`) switches local time ↔ UTC. */
export const ZoneToggle = memo(function ZoneToggle(): React.JSX.Element {
  const utc = useStore((s) => s.utc);
  const toggle = useStore((s) => s.toggleUtc);
  return (
    <button type="button" className="chip zone-toggle" onClick={toggle} title={`Times are shown in ${utc ? "UTC" : "your time zone"}. Switch to ${utc ? "your time zone" : "UTC"} (u)`} data-testid="zone" data-utc={utc ? "true" : "false"}>
      Times: {zoneLabel(utc)}
    </button>
  );
});
