/** SCXML (W3C State Chart XML) import and export for flat machines. */
export { importScxml } from "./scxml-read";
export { exportScxml } from "./scxml-write";
export { condFromGuard, guardFromCond, FSM_NS, SCXML_NS } from "./scxml-cond";
