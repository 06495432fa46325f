import { useEffect, useState } from "react";
import type { ProfileSummary } from "../../../../shared/ipc/views";
import { useApi } from "../../app/api-context";

/** Profile chooser; "" means detect it from the folder's content. */
export function ProfileSelect(props: { value: string; onChange(id: string): void; allowDetect?: boolean; id: string }): React.JSX.Element {
  const api = useApi();
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  useEffect(() => {
    let live = true;
    void api.listProfiles(null).then((p) => live && setProfiles(p));
    return () => {
      live = false;
    };
  }, [api]);
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.allowDetect !== false && <option value="">Detect from the folder's content</option>}
      {profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.title}
        </option>
      ))}
    </select>
  );
}
