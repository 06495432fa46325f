/** Checks shared by the browser (serve mode) and Electron specs: the same user-visible promises. */
import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

export function stateOnDisk(demoDir: string): string {
  const doc = JSON.parse(fs.readFileSync(path.join(demoDir, "lifecycle_state.json"), "utf8")) as { current_state: string };
  return doc.current_state;
}

function loggedTransitions(demoDir: string): { ts: string; from: string; to: string }[] {
  const logs = path.join(demoDir, "logs");
  if (!fs.existsSync(logs)) return [];
  return fs
    .readdirSync(logs)
    .sort()
    .flatMap((f) => fs.readFileSync(path.join(logs, f), "utf8").split("\n"))
    .filter((l) => l.includes('"state_transition"') && l.endsWith("}"))
    .map((l) => JSON.parse(l) as { ts: string; from: string; to: string });
}

/** The instance's state shown equals current_state in lifecycle_state.json (both move: poll until they agree). */
export async function expectStateMatchesDisk(page: Page, demoDir: string): Promise<void> {
  const shown = page.getByTestId("current-state").first();
  await expect(shown).toBeVisible();
  await expect
    .poll(async () => {
      const ui = (await shown.textContent())?.trim();
      const disk = stateOnDisk(demoDir);
      return ui === disk ? "equal" : `UI shows ${ui}, the file says ${disk}`;
    }, { timeout: 15_000, intervals: [50] })
    .toBe("equal");
}

/** Wait for the demo to log a new transition, then expect the UI to list it within `withinMs`. */
export async function expectNewTransitionShown(page: Page, demoDir: string, withinMs = 2000): Promise<number> {
  const before = loggedTransitions(demoDir).length;
  let fresh: { ts: string; from: string; to: string } | undefined;
  const deadline = Date.now() + 30_000;
  while (!fresh) {
    const all = loggedTransitions(demoDir);
    if (all.length > before) fresh = all[all.length - 1];
    else if (Date.now() > deadline) throw new Error("the demo wrote no transition for 30 s");
    else await new Promise((r) => setTimeout(r, 10));
  }
  const writtenAt = Date.now();
  const row = page.locator(`[data-testid="transition"][data-ts="${fresh.ts}"]`);
  await expect(row).toBeVisible({ timeout: withinMs });
  await expect(row).toContainText(`${fresh.from} → ${fresh.to}`);
  return Date.now() - writtenAt;
}

export const ARTIFACTS = path.resolve(import.meta.dirname, "artifacts");
