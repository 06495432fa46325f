import { formatUserError } from "../../../../shared/errors";
import type { UserFacingError } from "../../../../shared/errors";

/** The end of an "open …" dialog: the error (what, where, what to do), Cancel, and the submit button. */
export function DialogFooter(props: { error: UserFacingError | null; busy: boolean; disabled?: boolean; submit: string; busyText: string; onCancel(): void }): React.JSX.Element {
  return (
    <>
      {props.error && (
        <p className="dialog-error" role="alert">
          {formatUserError(props.error)}
        </p>
      )}
      <footer className="dialog-actions">
        <button type="button" className="ghost" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={props.busy || props.disabled === true}>
          {props.busy ? props.busyText : props.submit}
        </button>
      </footer>
    </>
  );
}
