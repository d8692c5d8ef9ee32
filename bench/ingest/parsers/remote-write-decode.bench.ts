// Remote write decode throughput (snappy + protobuf → samples) on one core:
//   node -r @swc-node/register bench/ingest/parsers/remote-write-decode.bench.ts
// Prints one JSON line per shape and cache state. Not part of `npm test`.
//   warm: the same series again (what repeated scrapes send) — label sets come from the decode cache.
//   cold: every series seen for the first time — every label set is decoded from bytes.
import { DEFAULT_MAX_DECODED_BYTES, parseRemoteWrite } from '../../../libs/metrics-input/src/parsers/remote-write.parser';
import { uncompressSnappy } from '../../../libs/metrics-input/src/parsers/snappy';
import { RemoteWriteDecodeCache } from '../../../libs/metrics-input/src/parsers/remote-write.cache';
import { encodeRemoteWriteBody, type EncodedTimeSeries } from '../../../libs/metrics-input/src/parsers/remote-write.encoder';

interface Shape {
  name: string;
  series: number;
  samplesPerSeries: number;
  extraLabels: number;
}

const SHAPES: Shape[] = [
  // What a Prometheus shard sends by default: up to 2000 samples, mostly one per series.
  { name: '2000-series-1-sample-9-labels', series: 2000, samplesPerSeries: 1, extraLabels: 6 },
  { name: '200-series-10-samples-9-labels', series: 200, samplesPerSeries: 10, extraLabels: 6 },
  { name: '2000-series-1-sample-23-labels', series: 2000, samplesPerSeries: 1, extraLabels: 20 },
];

function buildBody(shape: Shape, requestId: number): Buffer {
  const timeseries: EncodedTimeSeries[] = [];
  for (let s = 0; s < shape.series; s++) {
    const labels = [
      { name: '__name__', value: `node_metric_${s % 50}_total` },
      { name: 'instance', value: `host-${s}.example.net:9100` },
      { name: 'job', value: 'node' },
    ];
    // requestId < 0: the same series in every request; otherwise series unique to this request.
    if (requestId >= 0) labels.push({ name: 'generation', value: String(requestId) });
    for (let l = labels.length - 3; l < shape.extraLabels; l++) labels.push({ name: `label_${l}`, value: `value-${(s * 7 + l) % 97}` });
    // Prometheus sends labels sorted by name.
    labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const samples = [];
    for (let k = 0; k < shape.samplesPerSeries; k++) samples.push({ value: s * 1.5 + k, timestamp: 1_763_900_000_000 + k * 15_000 });
    timeseries.push({ labels, samples });
  }
  return encodeRemoteWriteBody({ timeseries });
}

function measure(bodies: Buffer[], cache: RemoteWriteDecodeCache): { seconds: number; samples: number } {
  let samples = 0;
  const start = process.hrtime.bigint();
  for (const body of bodies) samples += parseRemoteWrite(body, 0, { cache }).samples.length;
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, samples };
}

/** Time spent in snappy alone for the same bodies, to tell decompression from protobuf decoding. */
function snappySeconds(bodies: Buffer[]): number {
  const start = process.hrtime.bigint();
  for (const body of bodies) uncompressSnappy(body, DEFAULT_MAX_DECODED_BYTES);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function report(shape: Shape, state: string, bodies: Buffer[], result: { seconds: number; samples: number }): void {
  if (result.samples !== bodies.length * shape.series * shape.samplesPerSeries) throw new Error('decoder lost samples');
  const snappy = snappySeconds(bodies);
  console.log(
    JSON.stringify({
      shape: shape.name,
      cache: state,
      samplesPerRequest: shape.series * shape.samplesPerSeries,
      compressedBytesPerRequest: bodies[0].length,
      requests: bodies.length,
      samplesPerSecond: Math.round(result.samples / result.seconds),
      microsecondsPerRequest: Math.round((result.seconds * 1e6) / bodies.length),
      snappyMicrosecondsPerRequest: Math.round((snappy * 1e6) / bodies.length),
      samplesPerSecondWithoutSnappy: Math.round(result.samples / Math.max(result.seconds - snappy, 1e-9)),
    }),
  );
}

for (const shape of SHAPES) {
  // Warm-up (JIT) on bodies of their own, with a cache that is thrown away.
  const warmupCache = new RemoteWriteDecodeCache();
  const warmup = Array.from({ length: 40 }, (_, i) => buildBody(shape, 1_000_000 + i));
  for (let round = 0; round < 3; round++) measure(warmup, warmupCache);

  const cold = Array.from({ length: 150 }, (_, i) => buildBody(shape, i));
  report(shape, 'cold', cold, measure(cold, new RemoteWriteDecodeCache()));

  const same = buildBody(shape, -1);
  const warm = Array.from({ length: 300 }, () => same);
  const cache = new RemoteWriteDecodeCache();
  measure([same, same], cache); // a series is cached on its second sighting
  report(shape, 'warm', warm, measure(warm, cache));
}
