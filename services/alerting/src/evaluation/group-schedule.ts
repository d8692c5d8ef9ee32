import { xxhash64 } from '@vigil/promql';

/**
 * When a group evaluates (Prometheus' Group.EvalTimestamp): on its interval's grid, shifted by a per-group offset
 * (hash of the group's file and name modulo the interval), so groups spread over the interval instead of all
 * starting on the same tick. Times are ms; the offset is computed in ns as Prometheus does, then truncated to ms.
 */

const encoder = new TextEncoder();

/** labels.Hash() of {file=<file>, name=<name>}: xxhash64 over `name\xffvalue\xff` per label, sorted by name. */
export function groupHash(file: string, name: string): bigint {
  const parts = [encoder.encode('file'), encoder.encode(file), encoder.encode('name'), encoder.encode(name)];
  const size = parts.reduce((n, p) => n + p.length + 1, 0);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
    bytes[at++] = 0xff;
  }
  return xxhash64(bytes);
}

/** The group's offset within its interval, in ns. */
export function groupOffsetNs(file: string, name: string, intervalMs: number): bigint {
  return groupHash(file, name) % (BigInt(Math.round(intervalMs)) * 1_000_000n);
}

/** The group's latest evaluation time at or before `nowMs` (ms, truncated from Prometheus' ns). */
export function evalTimestamp(file: string, name: string, intervalMs: number, nowMs: number): number {
  const interval = BigInt(Math.round(intervalMs)) * 1_000_000n;
  const offset = groupOffsetNs(file, name, intervalMs);
  const adjNow = BigInt(Math.round(nowMs)) * 1_000_000n - offset;
  // Go's % truncates toward zero; times before 1970 keep Prometheus' arithmetic.
  const base = adjNow - (adjNow % interval);
  const next = base + offset;
  const ms = next / 1_000_000n;
  return Number(next < 0n && next % 1_000_000n !== 0n ? ms - 1n : ms);
}
