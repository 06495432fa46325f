export type { Box, Direction, DirectionChoice, EdgeRoute, Layout, LayoutRequest, Point } from "../../../../shared/diagram/layout";
