import * as protobuf from 'protobufjs';
import { parseRemoteWrite } from './remote-write.parser';
import { compressSnappy, encodeWriteRequest } from './remote-write.encoder';
import { REMOTE_WRITE_PROTO } from '../../test/support/remote-write-proto';

// Cross-check against protobufjs (an independent implementation) with the remote write 1.0 schema,
// so a mistake shared by our encoder and decoder cannot hide behind round trips.
const WriteRequest = protobuf.parse(REMOTE_WRITE_PROTO, { keepCase: true }).root.lookupType('prometheus.WriteRequest');

interface RefSeries {
  labels: { name: string; value: string }[];
  samples: { value: number; timestamp: number }[];
  exemplars?: { labels: { name: string; value: string }[]; value: number; timestamp: number }[];
}

describe('remote write against protobufjs', () => {
  const timeseries: RefSeries[] = [
    {
      labels: [
        { name: '__name__', value: 'http_requests_total' },
        { name: 'path', value: '/api/ünïcode/🔥' },
        { name: 'q', value: "'; DROP TABLE x; --" },
      ],
      samples: [
        { value: 1.25, timestamp: 1_763_900_000_000 },
        { value: -3e-300, timestamp: -1_000 },
        { value: 0, timestamp: 0 },
      ],
      exemplars: [{ labels: [{ name: 'trace_id', value: 'abc' }], value: 0.3, timestamp: 1_763_900_000_001 }],
    },
    { labels: [{ name: '__name__', value: 'up' }], samples: [{ value: 1, timestamp: 2 ** 53 - 1 }] },
  ];

  it('decodes a body encoded by protobufjs', () => {
    const message = WriteRequest.fromObject({
      timeseries,
      metadata: [{ type: 1, metric_family_name: 'http_requests_total', help: 'Requests.', unit: '' }],
    });
    const raw = Buffer.from(WriteRequest.encode(message).finish());
    const result = parseRemoteWrite(compressSnappy(raw), 0);
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual([
      { name: 'http_requests_total', labels: { path: '/api/ünïcode/🔥', q: "'; DROP TABLE x; --" }, value: 1.25, timestamp: 1_763_900_000_000, metadata: { type: 'counter', help: 'Requests.' } },
      { name: 'http_requests_total', labels: { path: '/api/ünïcode/🔥', q: "'; DROP TABLE x; --" }, value: -3e-300, timestamp: -1_000, metadata: { type: 'counter', help: 'Requests.' } },
      { name: 'http_requests_total', labels: { path: '/api/ünïcode/🔥', q: "'; DROP TABLE x; --" }, value: 0, timestamp: 0, metadata: { type: 'counter', help: 'Requests.' } },
      { name: 'up', labels: {}, value: 1, timestamp: 2 ** 53 - 1 },
    ]);
  });

  it('encodes bodies that protobufjs decodes to the same request', () => {
    const raw = encodeWriteRequest({
      timeseries: timeseries.map(({ labels, samples }) => ({ labels, samples })),
      metadata: [{ type: 2, metricFamilyName: 'up', help: 'Up.', unit: 'bool' }],
    });
    const decoded = WriteRequest.toObject(WriteRequest.decode(raw), { longs: Number, defaults: true }) as {
      timeseries: RefSeries[];
      metadata: unknown[];
    };
    expect(decoded.timeseries.map(({ labels, samples }) => ({ labels, samples }))).toEqual(
      timeseries.map(({ labels, samples }) => ({ labels, samples })),
    );
    expect(decoded.metadata).toEqual([{ type: 2, metric_family_name: 'up', help: 'Up.', unit: 'bool' }]);
  });
});
