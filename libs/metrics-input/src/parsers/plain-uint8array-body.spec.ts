import { parseInfluxLines, parseJsonBatch, parseRemoteWrite, type InfluxPrecision } from './index';
import { encodeRemoteWriteBody } from './remote-write.encoder';

/** NATS delivers message data as a plain Uint8Array (not a Buffer), often a view into a larger buffer. */
function plainView(bytes: Uint8Array): Uint8Array {
  const backing = new Uint8Array(bytes.length + 16);
  backing.set(bytes, 8);
  return new Uint8Array(backing.buffer, 8, bytes.length);
}

describe('parsers given a plain Uint8Array view', () => {
  it('parses JSON', () => {
    const body = plainView(Buffer.from('{"samples":[{"name":"up","value":1,"timestamp":5}]}'));
    expect(parseJsonBatch(body as Buffer, 0).samples).toEqual([{ name: 'up', labels: {}, value: 1, timestamp: 5 }]);
  });

  it('parses Influx lines', () => {
    const body = plainView(Buffer.from('m,a=b f=1 5'));
    expect(parseInfluxLines(body as Buffer, 'ms', 0).samples).toEqual([{ name: 'm_f', labels: { a: 'b' }, value: 1, timestamp: 5 }]);
  });

  it('parses remote write', () => {
    const encoded = encodeRemoteWriteBody({ timeseries: [{ labels: [{ name: '__name__', value: 'up' }], samples: [{ value: 1, timestamp: 5 }] }] });
    const result = parseRemoteWrite(plainView(encoded) as Buffer, 0);
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual([{ name: 'up', labels: {}, value: 1, timestamp: 5 }]);
  });

  it('rejects an unknown Influx precision instead of computing wrong times', () => {
    const result = parseInfluxLines('m f=1 5', 'h' as InfluxPrecision, 0);
    expect(result.samples).toEqual([]);
    expect(result.errors).toEqual([{ reason: 'malformed_body', message: 'precision "h" is not one of ns, us, ms, s' }]);
  });
});
