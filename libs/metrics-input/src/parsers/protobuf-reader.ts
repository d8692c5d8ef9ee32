/** Protobuf wire types. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export class ProtobufError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

/**
 * A minimal protobuf wire reader over one buffer. Callers keep `pos` and a message `end`; every read
 * is bounds-checked against the end it is given, so a truncated or lying length fails with the
 * offset instead of reading past the message.
 */
export class ProtobufReader {
  pos = 0;
  readonly view: DataView;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Unsigned varint of at most 32 bits (tags, lengths, enums). */
  readUint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = pos < end ? buf[pos++] : this.truncated(end);
    let value = b & 0x7f;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = pos < end ? buf[pos++] : this.truncated(end);
    value |= (b & 0x7f) << 7;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = pos < end ? buf[pos++] : this.truncated(end);
    value |= (b & 0x7f) << 14;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = pos < end ? buf[pos++] : this.truncated(end);
    value |= (b & 0x7f) << 21;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    b = pos < end ? buf[pos++] : this.truncated(end);
    value = (value | ((b & 0x0f) << 28)) >>> 0;
    // Larger values, and negative enums (sign-extended to 10 bytes), do not fit a length or tag.
    if (b >= 0x80 || (b & 0x70) !== 0) {
      this.pos = pos;
      this.skipVarintTail(end);
      throw new ProtobufError('varint does not fit 32 bits', this.pos);
    }
    this.pos = pos;
    return value;
  }

  /** Two's complement int64 varint as a JS number (exact up to 2^53, e.g. Unix ms timestamps). */
  readInt64(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let shift = 0;
    let b = 0;
    // Low 28 bits.
    for (; shift < 28; shift += 7) {
      b = pos < end ? buf[pos++] : this.truncated(end);
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return lo;
      }
    }
    b = pos < end ? buf[pos++] : this.truncated(end);
    lo = (lo | ((b & 0x0f) << 28)) >>> 0;
    let hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (shift = 3; shift < 32; shift += 7) {
        b = pos < end ? buf[pos++] : this.truncated(end);
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
      if (b >= 0x80) throw new ProtobufError('varint longer than 10 bytes', pos);
    }
    this.pos = pos;
    return (hi | 0) * 4294967296 + lo;
  }

  readDouble(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) this.truncated(end);
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** Reads a length prefix and returns the end offset of the delimited bytes. */
  readLengthEnd(end: number): number {
    const length = this.readUint32(end);
    const stop = this.pos + length;
    if (stop > end) throw new ProtobufError(`length ${length} runs past the end of its message`, this.pos);
    return stop;
  }

  skipField(wireType: number, end: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.skipVarintTail(end);
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > end) this.truncated(end);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.readLengthEnd(end);
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > end) this.truncated(end);
        this.pos += 4;
        return;
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`, this.pos);
    }
  }

  private skipVarintTail(end: number): void {
    const buf = this.buf;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) this.truncated(end);
      if (buf[this.pos++] < 0x80) return;
    }
    throw new ProtobufError('varint longer than 10 bytes', this.pos);
  }

  private truncated(end: number): never {
    throw new ProtobufError('message is truncated', end);
  }
}
