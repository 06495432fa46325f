/** Types of scripts/cli-bundle.mjs, for TypeScript callers (tests, benchmarks). */
export const ROOT: string;
export function fingerprint(): string;
export function bundleEntry(print?: string): string;
export function buildCli(): Promise<string>;
export function bundleEsm(entryPoints: Record<string, string>, outdir: string): Promise<void>;
