// Retired from services/ingest (issue 7): the hand-written snappy block decoder that remote write used
// until bench/ingest/bench-codecs.ts showed the native `snappy` package 3-5x faster. Kept here only as
// that benchmark's baseline, so the comparison in docs/ingest.md stays reproducible; the benchmark
// checks its output against the libraries' before timing it.
/** The body is not valid snappy block data (message says where). */
export class SnappyError extends Error {}

/**
 * Snappy *block* format decompression (the remote-write body encoding), written for the hot path:
 * long literals and long non-overlapping copies go through native copies, short ones through a
 * byte loop. `maxDecodedBytes` is checked against the announced length before anything is
 * allocated (decompression bombs). Every read and write is bounds-checked: malformed input throws
 * SnappyError, never reads or writes out of range.
 */
export function uncompressSnappyBlock(input: Uint8Array, maxDecodedBytes: number): Buffer {
  const n = input.length;
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= n || shift > 28) throw new SnappyError('bad length header');
    const b = input[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (length > maxDecodedBytes) throw new SnappyError(`announces ${length} bytes, more than the limit of ${maxDecodedBytes}`);
  const out = Buffer.allocUnsafe(length);
  let outPos = 0;
  while (pos < n) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const bytes = len - 60;
        if (pos + bytes > n) throw new SnappyError(`literal length runs past the end at byte ${pos}`);
        len = 0;
        for (let i = 0; i < bytes; i++) len += input[pos + i] * 2 ** (8 * i);
        len += 1;
        pos += bytes;
      }
      if (pos + len > n) throw new SnappyError(`literal runs past the end of the input at byte ${pos}`);
      if (outPos + len > length) throw new SnappyError(`literal at byte ${pos} overflows the announced length ${length}`);
      if (len >= 16) {
        out.set(input.subarray(pos, pos + len), outPos);
      } else {
        for (let i = 0; i < len; i++) out[outPos + i] = input[pos + i];
      }
      pos += len;
      outPos += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= n) throw new SnappyError(`copy runs past the end of the input at byte ${pos}`);
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos];
      pos += 1;
    } else if (kind === 2) {
      if (pos + 2 > n) throw new SnappyError(`copy runs past the end of the input at byte ${pos}`);
      len = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > n) throw new SnappyError(`copy runs past the end of the input at byte ${pos}`);
      len = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16)) + input[pos + 3] * 0x1000000;
      pos += 4;
    }
    if (offset === 0 || offset > outPos) throw new SnappyError(`copy offset ${offset} at byte ${pos} points before the start of the output`);
    if (outPos + len > length) throw new SnappyError(`copy at byte ${pos} overflows the announced length ${length}`);
    const from = outPos - offset;
    if (offset >= len && len >= 16) {
      out.copyWithin(outPos, from, from + len);
    } else {
      // Overlapping copies repeat the last `offset` bytes: byte by byte is exactly that.
      for (let i = 0; i < len; i++) out[outPos + i] = out[from + i];
    }
    outPos += len;
  }
  if (outPos !== length) throw new SnappyError(`decoded ${outPos} bytes, the header announced ${length}`);
  return out;
}
