import { useApi } from "../../hooks/api-context";
import { replayControllerFor, type ReplayController } from "./replay-controller";

/** The replay controller of this window's backend connection. */
export function useReplayController(): ReplayController {
  return replayControllerFor(useApi());
}
