export function findElectronBinary(): { path?: string; problem?: string };
