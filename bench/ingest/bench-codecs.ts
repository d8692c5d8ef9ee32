/**
 * `npm run bench:codecs`: ingest's hand-written remote-write codecs against off-the-shelf libraries,
 * on one core, printed as JSON (progress on stderr). Issue 7: hand-written code stays only where this shows it pays.
 * - snappy: our former hand-written block decoder (bench/ingest/codecs/snappy-block.ts, retired) vs `snappyjs`
 *   vs the native `snappy` package (napi-rs, Rust `snap`; what ingest uses now, libs/metrics-input/src/parsers/snappy.ts),
 *   on bodies compressed by snappyjs and by native snappy;
 * - protobuf: uncompressed `prometheus.WriteRequest` → Sample[]: our reader + decoder (label-set cache on
 *   and off) vs `protobufjs` and `@bufbuild/protobuf` (decode alone, and decode + mapping to the same Sample[]);
 * - whole path: body → samples → validateSamples, per sample, with each codec combination.
 * Each case: warm-up, then BENCH_REPS (default 15) timed repetitions, the cases of one group interleaved
 * round-robin so machine noise spreads over all of them; median, p10 and p90 of the per-repetition means.
 * Outputs are cross-checked (same bytes, same samples) before anything is timed.
 * Never part of `npm test`; figures vary with the machine and its load.
 */
import { cpus } from 'node:os';
import { compress as snappyjsCompress, uncompress as snappyjsUncompress } from 'snappyjs';
import { compressSync as nativeCompress, uncompressSync as nativeUncompress } from 'snappy';
import * as protobuf from 'protobufjs';
import { create, createFileRegistry, fromBinary, type DescMessage } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FieldOptions_JSType, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import type { Sample } from '@vigil/contracts';
import { uncompressSnappyBlock } from './codecs/snappy-block';
import { decodeWriteRequest, DEFAULT_MAX_DECODED_BYTES, parseRemoteWrite } from '../../libs/metrics-input/src/parsers/remote-write.parser';
import { RemoteWriteDecodeCache } from '../../libs/metrics-input/src/parsers/remote-write.cache';
import { encodeWriteRequest, type EncodedTimeSeries } from '../../libs/metrics-input/src/parsers/remote-write.encoder';
import { setLabel } from '../../libs/metrics-input/src/parsers/label-set';
import { defaultValidationPolicy, MetricTypeRegistry, validateSamples } from '../../libs/metrics-input/src/validation';
import { percentile, round } from '../lib/stats';
import { REMOTE_WRITE_PROTO } from '../../libs/metrics-input/test/support/remote-write-proto';

const REPS = Number(process.env.BENCH_REPS ?? 15);
/** Target length of one timed repetition; the iteration count per case is calibrated to it. */
const REP_MS = Number(process.env.BENCH_REP_MS ?? 60);
const WARMUP_MS = 400;
const T0 = 1_763_900_000_000;

// ---------------------------------------------------------------- bodies

interface Shape {
  name: string;
  series: number;
}

/** What one Prometheus shard sends by default (≤ 2000 samples, one per series) and a large 5000-series request. */
const SHAPES: Shape[] = [
  { name: '500-series-1-sample-10-labels', series: 500 },
  { name: '5000-series-1-sample-10-labels', series: 5000 },
];

/** ~10 labels per series, Kubernetes-style names and values, sorted by name as Prometheus sends them. */
function timeseries(shape: Shape, generation: number): EncodedTimeSeries[] {
  const out: EncodedTimeSeries[] = [];
  for (let s = 0; s < shape.series; s++) {
    const pod = s % 40;
    const labels = [
      { name: '__name__', value: `http_server_requests_${['seconds_count', 'seconds_sum', 'total', 'active'][s % 4]}_${s % 25}` },
      { name: 'cluster', value: 'prod-eu-west-1' },
      { name: 'code', value: String([200, 201, 204, 400, 404, 500][s % 6]) },
      { name: 'env', value: 'production' },
      { name: 'instance', value: `10.12.${Math.floor(s / 250)}.${s % 250}:8080` },
      { name: 'job', value: 'kubernetes-pods' },
      { name: 'method', value: ['GET', 'POST', 'PUT', 'DELETE'][s % 4] },
      { name: 'namespace', value: `team-${pod % 8}` },
      { name: 'pod', value: `checkout-${generation}-7d9f8b6c5-${(pod * 7919).toString(36)}` },
      { name: 'route', value: `/api/v1/orders/{id}/items/${s % 13}` },
    ];
    labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.push({ labels, samples: [{ value: s * 1.25 + 0.5, timestamp: T0 + (s % 1000) }] });
  }
  return out;
}

interface Bodies {
  shape: Shape;
  /** Uncompressed WriteRequest protobuf. */
  raw: Buffer[];
  /** Compressed by snappyjs (what remote-write.encoder.ts writes). */
  bySnappyjs: Buffer[];
  /** Compressed by native snappy (Rust `snap`, the reference algorithm Go's snappy follows too). */
  byNative: Buffer[];
}

/** `count` different requests of one shape (the pod label changes: a rollout, new series). */
function buildBodies(shape: Shape, count: number, firstGeneration: number): Bodies {
  const raw = Array.from({ length: count }, (_, i) => encodeWriteRequest({ timeseries: timeseries(shape, firstGeneration + i) }));
  return { shape, raw, bySnappyjs: raw.map((r) => snappyjsCompress(r)), byNative: raw.map((r) => nativeCompress(r)) };
}

/**
 * Native snappy's fastest call here: by default its output is an external buffer allocated by Rust for
 * every call, which on bodies of 100 KB+ costs far more than the decompression (page faults, GC
 * pressure); `copyOutputData` decodes into Rust memory and copies into an ordinary Buffer.
 */
const nativeFast = (body: Uint8Array) => nativeUncompress(body, { copyOutputData: true }) as Buffer;

// ---------------------------------------------------------------- protobuf libraries

/** protobufjs' reflection-generated decoder (what `pbjs -t static` would emit, compiled at run time). */
const PbjsWriteRequest = protobuf.parse(REMOTE_WRITE_PROTO, { keepCase: true }).root.lookupType('prometheus.WriteRequest');

/** The same schema for @bufbuild/protobuf v2 (its generated code is this descriptor plus the generic reflection decoder). */
function bufbuildWriteRequest(): DescMessage {
  const T = FieldDescriptorProto_Type;
  const repeated = FieldDescriptorProto_Label.REPEATED;
  const optional = FieldDescriptorProto_Label.OPTIONAL;
  const msg = (name: string) => ({ type: T.MESSAGE, typeName: `.prometheus.${name}` });
  const file = create(FileDescriptorProtoSchema, {
    name: 'prometheus/remote.proto',
    package: 'prometheus',
    syntax: 'proto3',
    messageType: [
      {
        name: 'WriteRequest',
        field: [
          { name: 'timeseries', number: 1, label: repeated, ...msg('TimeSeries') },
          { name: 'metadata', number: 3, label: repeated, ...msg('MetricMetadata') },
        ],
      },
      {
        name: 'TimeSeries',
        field: [
          { name: 'labels', number: 1, label: repeated, ...msg('Label') },
          { name: 'samples', number: 2, label: repeated, ...msg('Sample') },
          { name: 'exemplars', number: 3, label: repeated, ...msg('Exemplar') },
        ],
      },
      {
        name: 'Label',
        field: [
          { name: 'name', number: 1, label: optional, type: T.STRING },
          { name: 'value', number: 2, label: optional, type: T.STRING },
        ],
      },
      {
        name: 'Sample',
        field: [
          { name: 'value', number: 1, label: optional, type: T.DOUBLE },
          // jstype = JS_NUMBER: plain numbers instead of bigint, as our decoder returns.
          { name: 'timestamp', number: 2, label: optional, type: T.INT64, options: { jstype: FieldOptions_JSType.JS_NUMBER } },
        ],
      },
      {
        name: 'Exemplar',
        field: [
          { name: 'labels', number: 1, label: repeated, ...msg('Label') },
          { name: 'value', number: 2, label: optional, type: T.DOUBLE },
          { name: 'timestamp', number: 3, label: optional, type: T.INT64, options: { jstype: FieldOptions_JSType.JS_NUMBER } },
        ],
      },
      {
        name: 'MetricMetadata',
        field: [
          { name: 'type', number: 1, label: optional, type: T.INT32 },
          { name: 'metric_family_name', number: 2, label: optional, type: T.STRING, jsonName: 'metricFamilyName' },
          { name: 'help', number: 4, label: optional, type: T.STRING },
          { name: 'unit', number: 5, label: optional, type: T.STRING },
        ],
      },
    ],
  });
  return createFileRegistry(file, () => undefined).getMessage('prometheus.WriteRequest')!;
}
const BufWriteRequest = bufbuildWriteRequest();

interface DecodedSeries {
  labels: { name: string; value: string }[];
  samples: { value: number; timestamp: number | { toNumber(): number } | bigint }[];
}

/**
 * A library's message tree → the Sample[] our decoder returns, with the same checks: `__name__` present
 * and unique, no duplicate label (one pass when sorted), UTF-8 (the libraries replace bad bytes with
 * U+FFFD silently; a U+FFFD is taken as the error here, a cheaper check than ours), one labels object
 * shared by the samples of a series. Rejected series are only counted: this is the happy path.
 */
function toSamples(series: DecodedSeries[]): { samples: Sample[]; rejectedSeries: number } {
  const samples: Sample[] = [];
  let rejectedSeries = 0;
  for (const ts of series) {
    let name: string | undefined;
    let bad = false;
    let previous = '';
    const labels: Record<string, string> = {};
    for (const label of ts.labels) {
      if (label.name.includes('\uFFFD') || label.value.includes('\uFFFD')) bad = true;
      if (label.name === '__name__') {
        if (name !== undefined) bad = true;
        name = label.value;
        continue;
      }
      if (!(previous < label.name) && Object.prototype.hasOwnProperty.call(labels, label.name)) bad = true;
      previous = label.name;
      setLabel(labels, label.name, label.value);
    }
    if (bad || !name) {
      rejectedSeries++;
      continue;
    }
    for (const s of ts.samples) {
      const t = s.timestamp;
      samples.push({ name, labels, value: s.value, timestamp: typeof t === 'number' ? t : typeof t === 'bigint' ? Number(t) : t.toNumber() });
    }
  }
  return { samples, rejectedSeries };
}

// ---------------------------------------------------------------- timing

interface Case {
  name: string;
  /** One unit of work on body `i`; returns a number so the work cannot be optimised away. */
  run: (i: number) => number;
  /** What the case includes, for the reader of the JSON. */
  note?: string;
}

interface Timing {
  case: string;
  note?: string;
  iterationsPerRep: number;
  nsPerBody: { median: number; p10: number; p90: number };
}

let sink = 0;

function timeIterations(c: Case, iterations: number, bodies: number): number {
  const start = process.hrtime.bigint();
  for (let k = 0; k < iterations; k++) sink += c.run(k % bodies);
  return Number(process.hrtime.bigint() - start) / iterations;
}

/** Warm-up and calibration per case, then REPS repetitions with the cases interleaved (rotating order). */
function measure(cases: Case[], bodies: number): Timing[] {
  const iterations = cases.map((c) => {
    const until = Date.now() + WARMUP_MS;
    let n = 0;
    const start = process.hrtime.bigint();
    while (Date.now() < until) sink += c.run(n++ % bodies);
    const nsPer = Number(process.hrtime.bigint() - start) / n;
    return Math.max(bodies, Math.round((REP_MS * 1e6) / nsPer / bodies) * bodies);
  });
  const samples: number[][] = cases.map(() => []);
  for (let rep = 0; rep < REPS; rep++) {
    for (let j = 0; j < cases.length; j++) {
      const idx = (j + rep) % cases.length;
      samples[idx].push(timeIterations(cases[idx], iterations[idx], bodies));
    }
  }
  return cases.map((c, idx) => ({
    case: c.name,
    ...(c.note ? { note: c.note } : {}),
    iterationsPerRep: iterations[idx],
    nsPerBody: { median: Math.round(percentile(samples[idx], 50)), p10: Math.round(percentile(samples[idx], 10)), p90: Math.round(percentile(samples[idx], 90)) },
  }));
}

const mbPerSecond = (bytes: number, ns: number) => round((bytes / ns) * 1e3, 1); // 1 MB = 10^6 bytes

function log(message: string): void {
  process.stderr.write(`[bench:codecs] ${message}\n`);
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

// ---------------------------------------------------------------- groups

function snappyGroup(b: Bodies, compressor: 'snappyjs' | 'native snappy'): unknown {
  const compressed = compressor === 'snappyjs' ? b.bySnappyjs : b.byNative;
  const n = compressed.length;
  for (let i = 0; i < n; i++) {
    const expected = b.raw[i];
    if (!uncompressSnappyBlock(compressed[i], DEFAULT_MAX_DECODED_BYTES).equals(expected)) throw new Error('snappy-block: wrong output');
    if (!Buffer.from(snappyjsUncompress(compressed[i])).equals(expected)) throw new Error('snappyjs: wrong output');
    if (!(nativeUncompress(compressed[i]) as Buffer).equals(expected)) throw new Error('native snappy: wrong output');
    if (!nativeFast(compressed[i]).equals(expected)) throw new Error('native snappy (copyOutputData): wrong output');
  }
  const timings = measure(
    [
      { name: 'hand-written (snappy-block.ts, retired)', run: (i) => uncompressSnappyBlock(compressed[i], DEFAULT_MAX_DECODED_BYTES).length },
      { name: 'snappyjs', run: (i) => snappyjsUncompress(compressed[i]).length },
      { name: 'snappy (native, napi-rs), default options', run: (i) => (nativeUncompress(compressed[i]) as Buffer).length, note: 'output in an external (Rust-allocated) buffer' },
      { name: 'snappy (native, napi-rs), copyOutputData', run: (i) => nativeFast(compressed[i]).length, note: 'output copied into a V8-allocated Buffer' },
    ],
    n,
  );
  const rawBytes = mean(b.raw.map((r) => r.length));
  const compressedBytes = mean(compressed.map((c) => c.length));
  return {
    shape: b.shape.name,
    compressedBy: compressor,
    uncompressedBytesPerBody: Math.round(rawBytes),
    compressedBytesPerBody: Math.round(compressedBytes),
    results: timings.map((t) => ({
      ...t,
      // Throughput of decompressed output, the usual snappy figure.
      outputMBps: { median: mbPerSecond(rawBytes, t.nsPerBody.median), p10: mbPerSecond(rawBytes, t.nsPerBody.p90), p90: mbPerSecond(rawBytes, t.nsPerBody.p10) },
    })),
  };
}

function protobufGroup(b: Bodies): unknown {
  const raw = b.raw;
  const n = raw.length;
  const samplesPerBody = b.shape.series;
  // Cache on, steady state: the same series every request (what Prometheus resends each scrape interval).
  const warmCache = new RemoteWriteDecodeCache();
  for (let round = 0; round < 2; round++) for (const r of raw) decodeWriteRequest(r, warmCache);
  // Cache off (maxKeyBytes 0): every label set decoded from its bytes, as for series never seen before.
  const noCache = new RemoteWriteDecodeCache(16, 32 * 1024 * 1024, 0);
  const pbjs = (r: Buffer) => PbjsWriteRequest.decode(r) as unknown as { timeseries: DecodedSeries[] };
  const buf = (r: Buffer) => fromBinary(BufWriteRequest, r, { readUnknownFields: false }) as unknown as { timeseries: DecodedSeries[] };

  // Every decoder must yield the same samples.
  for (const r of raw) {
    const ours = decodeWriteRequest(r, noCache);
    if (ours.errors.length > 0 || ours.samples.length !== samplesPerBody) throw new Error('ours: wrong output');
    const plain = JSON.stringify(ours.samples);
    if (JSON.stringify(decodeWriteRequest(r, warmCache).samples) !== plain) throw new Error('ours (cache): differs');
    if (JSON.stringify(toSamples(pbjs(r).timeseries).samples) !== plain) throw new Error('protobufjs: differs');
    if (JSON.stringify(toSamples(buf(r).timeseries).samples) !== plain) throw new Error('@bufbuild/protobuf: differs');
  }

  const timings = measure(
    [
      { name: 'ours, label cache on', run: (i) => decodeWriteRequest(raw[i], warmCache).samples.length, note: 'ProtobufReader + WriteRequestDecoder → Sample[], label sets of known series from RemoteWriteDecodeCache (steady state)' },
      { name: 'ours, label cache off', run: (i) => decodeWriteRequest(raw[i], noCache).samples.length, note: 'the same, every label set decoded from bytes (new series); strings still interned' },
      { name: 'protobufjs decode only', run: (i) => pbjs(raw[i]).timeseries.length, note: 'WriteRequest.decode → message objects (int64 as Long), no Sample[], no checks' },
      { name: 'protobufjs + map to Sample[]', run: (i) => toSamples(pbjs(raw[i]).timeseries).samples.length, note: 'decode + toSamples(): same Sample[] and checks as ours' },
      { name: '@bufbuild/protobuf decode only', run: (i) => buf(raw[i]).timeseries.length, note: 'fromBinary (reflection, int64 as JS number) → message objects, no checks' },
      { name: '@bufbuild/protobuf + map to Sample[]', run: (i) => toSamples(buf(raw[i]).timeseries).samples.length, note: 'decode + toSamples()' },
    ],
    n,
  );
  const rawBytes = mean(raw.map((r) => r.length));
  return {
    shape: b.shape.name,
    uncompressedBytesPerBody: Math.round(rawBytes),
    samplesPerBody,
    results: timings.map((t) => ({ ...t, nsPerSample: round(t.nsPerBody.median / samplesPerBody, 1), inputMBps: mbPerSecond(rawBytes, t.nsPerBody.median) })),
  };
}

function parsePathGroup(b: Bodies): unknown {
  const bodies = b.bySnappyjs;
  const n = bodies.length;
  const samplesPerBody = b.shape.series;
  const policy = defaultValidationPolicy(T0);
  const types = new MetricTypeRegistry();
  const warmCache = new RemoteWriteDecodeCache();
  for (let round = 0; round < 2; round++) for (const body of bodies) parseRemoteWrite(body, 0, { cache: warmCache });
  const noCache = new RemoteWriteDecodeCache(16, 32 * 1024 * 1024, 0);
  const validated = (samples: Sample[]) => validateSamples(samples, policy, types).samples.length;
  const pbjs = (r: Uint8Array) => (PbjsWriteRequest.decode(r) as unknown as { timeseries: DecodedSeries[] }).timeseries;

  for (const body of bodies) {
    const parsed = parseRemoteWrite(body, 0, { cache: warmCache });
    const valid = validateSamples(parsed.samples, policy, types);
    if (parsed.errors.length + valid.errors.length > 0 || valid.samples.length !== samplesPerBody) throw new Error('whole path: samples rejected');
  }

  const timings = measure(
    [
      { name: 'runtime: native snappy + our reader, cache on', run: (i) => validated(parseRemoteWrite(bodies[i], 0, { cache: warmCache }).samples), note: 'parseRemoteWrite + validateSamples as ingest runs them, steady series' },
      { name: 'runtime: native snappy + our reader, cache off', run: (i) => validated(parseRemoteWrite(bodies[i], 0, { cache: noCache }).samples), note: 'the same, every series new' },
      { name: 'retired snappy-block.ts + our reader, cache on', run: (i) => validated(decodeWriteRequest(uncompressSnappyBlock(bodies[i], DEFAULT_MAX_DECODED_BYTES), warmCache).samples), note: 'the path before issue 7' },
      { name: 'native snappy + protobufjs', run: (i) => validated(toSamples(pbjs(nativeFast(bodies[i]))).samples), note: 'libraries only (no label cache possible: new label objects every request)' },
      { name: 'snappyjs + protobufjs', run: (i) => validated(toSamples(pbjs(snappyjsUncompress(bodies[i]))).samples), note: 'pure-JS libraries only' },
    ],
    n,
  );
  return {
    shape: b.shape.name,
    compressedBytesPerBody: Math.round(mean(bodies.map((x) => x.length))),
    samplesPerBody,
    results: timings.map((t) => ({ ...t, nsPerSample: round(t.nsPerBody.median / samplesPerBody, 1), samplesPerSecond: Math.round((samplesPerBody * 1e9) / t.nsPerBody.median) })),
  };
}

function main(): void {
  const started = Date.now();
  const snappy: unknown[] = [];
  const protobufResults: unknown[] = [];
  const parsePath: unknown[] = [];
  for (const shape of SHAPES) {
    const b = buildBodies(shape, shape.series >= 5000 ? 4 : 16, 1);
    log(`${shape.name}: snappy`);
    snappy.push(snappyGroup(b, 'snappyjs'), snappyGroup(b, 'native snappy'));
    log(`${shape.name}: protobuf`);
    protobufResults.push(protobufGroup(b));
    log(`${shape.name}: whole parse path`);
    parsePath.push(parsePathGroup(b));
  }
  console.log(
    JSON.stringify(
      {
        benchmark: 'codecs',
        machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
        settings: { repetitions: REPS, repetitionMs: REP_MS, warmupMs: WARMUP_MS, statistic: 'median, p10, p90 over repetitions of the mean ns per body' },
        snappy,
        protobuf: protobufResults,
        parsePath,
        seconds: round((Date.now() - started) / 1000, 1),
        sink: sink > 0,
      },
      null,
      2,
    ),
  );
}

main();
