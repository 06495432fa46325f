/**
 * Errors meant for the user, for every layer: what went wrong, in which file and line, and what to
 * do. Thrown as FsmError anywhere, carried as UserFacingError across either transport, printed by
 * the command line with formatUserError.
 */

/** What the user is shown of an error: a code for programs, the message, where, and what to do. */
export interface UserFacingError {
  code: string;
  message: string;
  file?: string;
  line?: number;
  hint?: string;
}

/** An error meant for the user: carries what to show (file, line, what to do) across either transport. */
export class FsmError extends Error implements UserFacingError {
  readonly code: string;
  readonly file?: string;
  readonly line?: number;
  readonly hint?: string;

  constructor(e: UserFacingError) {
    super(e.message);
    this.name = "FsmError";
    this.code = e.code;
    if (e.file !== undefined) this.file = e.file;
    if (e.line !== undefined) this.line = e.line;
    if (e.hint !== undefined) this.hint = e.hint;
  }

  toJSON(): UserFacingError {
    return toUserFacing(this);
  }
}

/** Any thrown value as a user-facing error (unknown errors keep their message, code "internal"). */
export function toUserFacing(err: unknown): UserFacingError {
  if (err instanceof FsmError) {
    const out: UserFacingError = { code: err.code, message: err.message };
    if (err.file !== undefined) out.file = err.file;
    if (err.line !== undefined) out.line = err.line;
    if (err.hint !== undefined) out.hint = err.hint;
    return out;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: "internal", message };
}

/** "lifecycle_state.json line 3: unexpected token. Fix the file or ..." */
export function formatUserError(e: UserFacingError): string {
  const where = e.file ? `${e.file}${e.line !== undefined ? `:${e.line}` : ""}: ` : "";
  return `${where}${e.message}${e.hint ? ` ${e.hint}` : ""}`;
}
