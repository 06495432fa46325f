import { useApi } from "../../app/api-context";
import { replayControllerFor, type ReplayController } from "../../app/replay-controller";

/** The replay controller of this window's backend connection. */
export function useReplayController(): ReplayController {
  return replayControllerFor(useApi());
}
