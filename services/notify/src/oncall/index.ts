export * from './schedule.schema';
export * from './oncall';
export { LayerClock, restrictionWindows, type LayerPiece, type Span } from './layer';
export { localDay, localToMillis, parseLocal, wallClock, weekdayOf } from './wall-clock';
