/**
 * Start-timestamp (created-timestamp) rules shared by the float and native-histogram counter functions. A start
 * timestamp of 0 means "unknown", as in Prometheus' storage.
 */

/**
 * Whether the current sample starts a new counter (a reset) according to its start timestamp. An unknown, invalid
 * (after the sample) or OTel "unknown start" (equal to the sample time) start never resets. A start after the previous
 * sample resets. A start equal to the previous sample time is a delta sample only if the previous sample's own start
 * was known and valid (cumulative series with an unknown start repeat the previous time without resetting).
 */
export function isStartTimestampReset(prevSt: number, prevT: number, curSt: number, curT: number): boolean {
  if (curSt === 0 || curSt >= curT) return false;
  if (curSt < prevT) return false;
  if (curSt > prevT) return true;
  if (prevSt > prevT) return false;
  return prevSt !== 0 && prevSt !== prevT;
}

/** A start before the previous sample that is not the previous sample's own start: the two samples overlap. */
export function startTimeOverlaps(prevSt: number, prevT: number, curSt: number): boolean {
  return curSt !== 0 && curSt < prevT && curSt !== prevSt;
}

export const startTimeOverlapWarning = (metricName: string): string =>
  `PromQL warning: sample has start time that overlaps with previous sample timestamp for metric ${JSON.stringify(metricName)}`;
