import { uncompressSync } from 'snappy';

/** The body is not valid snappy block data (message says why). */
export class SnappyError extends Error {}

/**
 * Snappy *block* format decompression (the remote-write body encoding) with the native `snappy`
 * package (napi-rs binding of Rust's `snap`): 3-5x faster than a JavaScript decoder on remote-write
 * bodies (`npm run bench:codecs`, docs/ingest.md "Codec choices (measured)").
 *
 * The announced length is checked against `maxDecodedBytes` before the native call, which allocates
 * that much (decompression bombs). `copyOutputData` decodes into native memory and copies into an
 * ordinary Buffer: the default, an external buffer per call, is several times slower on 100 KB+
 * outputs. Malformed input (the decoder checks every copy and the announced length) throws SnappyError.
 */
export function uncompressSnappy(input: Uint8Array, maxDecodedBytes: number): Buffer {
  const length = snappyDecodedLength(input);
  if (length === undefined) throw new SnappyError('bad length header');
  if (length > maxDecodedBytes) throw new SnappyError(`announces ${length} bytes, more than the limit of ${maxDecodedBytes}`);
  let out: string | Buffer;
  try {
    out = uncompressSync(input, { copyOutputData: true });
  } catch (err) {
    throw new SnappyError((err as Error).message);
  }
  if (typeof out === 'string' || out.length !== length) throw new SnappyError(`decoded ${out.length} bytes, the header announced ${length}`);
  return out;
}

/** The uncompressed length varint that starts every snappy block (at most 32 bits), or undefined if it is broken. */
export function snappyDecodedLength(body: Uint8Array): number | undefined {
  let value = 0;
  for (let i = 0, shift = 0; i < 5 && i < body.length; i++, shift += 7) {
    const b = body[i];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return value;
  }
  return undefined;
}
