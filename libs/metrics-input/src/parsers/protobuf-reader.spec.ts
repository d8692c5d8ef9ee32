import { ProtobufError, ProtobufReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './protobuf-reader';
import { ProtobufWriter } from './remote-write.encoder';

describe('ProtobufReader', () => {
  it.each([0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 1_763_900_000_000, 2 ** 53 - 1, -1, -2, -(2 ** 31), -1_763_900_000_000, -(2 ** 53)])(
    'reads int64 %d as written',
    (value) => {
      const bytes = new ProtobufWriter().int64(value).finish();
      const reader = new ProtobufReader(bytes);
      expect(reader.readInt64(bytes.length)).toBe(value);
      expect(reader.pos).toBe(bytes.length);
    },
  );

  it.each([0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 2 ** 31 - 1, 2 ** 32 - 1])('reads uint32 %d as written', (value) => {
    const bytes = new ProtobufWriter().varint(value).finish();
    expect(new ProtobufReader(bytes).readUint32(bytes.length)).toBe(value);
  });

  it('refuses a varint that does not fit 32 bits where a length or tag is expected', () => {
    const bytes = new ProtobufWriter().varint(2 ** 32).finish();
    expect(() => new ProtobufReader(bytes).readUint32(bytes.length)).toThrow(ProtobufError);
  });

  it('reports truncation with the offset, also when the buffer continues past the message end', () => {
    const bytes = Buffer.from([0x80, 0x80, 0x01]);
    expect(() => new ProtobufReader(bytes).readInt64(2)).toThrow('message is truncated at byte 2');
    expect(() => new ProtobufReader(Buffer.alloc(7)).readDouble(7)).toThrow(ProtobufError);
  });

  it('skips every supported wire type and rejects groups', () => {
    const bytes = new ProtobufWriter()
      .int64(-5)
      .double(1.5)
      .bytes(Buffer.from('skip me'))
      .raw(Buffer.alloc(4))
      .finish();
    const reader = new ProtobufReader(bytes);
    reader.skipField(WIRE_VARINT, bytes.length);
    reader.skipField(WIRE_FIXED64, bytes.length);
    reader.skipField(WIRE_LEN, bytes.length);
    reader.skipField(WIRE_FIXED32, bytes.length);
    expect(reader.pos).toBe(bytes.length);
    expect(() => reader.skipField(3, bytes.length)).toThrow('unsupported wire type 3');
  });

  it('refuses a length running past its enclosing message', () => {
    const bytes = new ProtobufWriter().varint(10).raw(Buffer.alloc(10)).finish();
    expect(() => new ProtobufReader(bytes).readLengthEnd(5)).toThrow('length 10 runs past the end of its message');
  });
});
