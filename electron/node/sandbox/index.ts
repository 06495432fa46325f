/**
 * Writing a sandbox run in its profile's own file format: all at once ("Export the sandbox run as
 * a log") or step by step into the sandbox's own folder ("Sandbox files").
 */
export type { SandboxRun, SandboxStep } from "../../../shared/sandbox/run";
export { exportKind, suggestedExportName } from "../../../shared/sandbox/export";
export { exportSandboxRun, type ExportOptions } from "./export";
export { SandboxFolderWriter, type SandboxFolderOptions } from "./folder-writer";
