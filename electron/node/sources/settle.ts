/** A JSON file that does not parse may be half-way through an in-place rewrite: re-read it a few times, briefly, before reporting it. */
export const SETTLE = { retries: 5, delayMs: 40 } as const;

/** After a failed parse on `attempt` (0-based): waits and says whether to read again. */
export async function waitToRetry(attempt: number, retries: number = SETTLE.retries): Promise<boolean> {
  if (attempt >= retries) return false;
  await new Promise((r) => setTimeout(r, SETTLE.delayMs));
  return true;
}
