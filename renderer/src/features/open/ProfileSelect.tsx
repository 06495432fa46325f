import { useProfiles } from "./use-profiles";

/** Profile chooser; "" means detect it from the folder's content. */
export function ProfileSelect(props: { value: string; onChange(id: string): void; allowDetect?: boolean; detectLabel?: string; id: string }): React.JSX.Element {
  const profiles = useProfiles();
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.allowDetect !== false && <option value="">{props.detectLabel ?? "Detect from the folder's content"}</option>}
      {profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.title}
        </option>
      ))}
    </select>
  );
}
