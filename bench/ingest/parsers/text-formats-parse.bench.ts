// JSON and Influx parse throughput, and validation, on one core:
//   node -r @swc-node/register bench/ingest/parsers/text-formats-parse.bench.ts
// Prints one JSON line per case. Not part of `npm test`.
import { parseInfluxLines } from '../../../libs/metrics-input/src/parsers/influx-line.parser';
import { parseJsonBatch } from '../../../libs/metrics-input/src/parsers/json-batch.parser';
import { defaultValidationPolicy, MetricTypeRegistry, validateSamples } from '../../../libs/metrics-input/src/validation';
import type { ParseResult } from '../../../libs/metrics-input/src/parsers/input-error';

const NOW = 1_763_900_000_000;

function influxBody(lines: number): Buffer {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(`cpu,host=web-${i % 200},cpu=cpu${i % 8},region=eu-west-1 usage_idle=${i}.5,usage_user=2.25,usage_system=1i ${NOW}${String(i % 1000).padStart(6, '0')}`);
  }
  return Buffer.from(out.join('\n'));
}

function jsonBody(samples: number): Buffer {
  const out = [];
  for (let i = 0; i < samples; i++) {
    out.push({ name: 'http_requests_total', labels: { service: `svc-${i % 50}`, code: String(200 + (i % 5)), instance: `10.0.${i % 250}.1:8080` }, value: i, timestamp: NOW });
  }
  return Buffer.from(JSON.stringify({ type: 'counter', samples: out }));
}

function run(name: string, body: Buffer, parse: (body: Buffer) => ParseResult): void {
  for (let i = 0; i < 20; i++) parse(body);
  let samples = 0;
  let rounds = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 2) {
    const result = parse(body);
    if (result.errors.length > 0) throw new Error(`${name}: ${result.errors[0].message}`);
    samples += result.samples.length;
    rounds++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  console.log(JSON.stringify({ case: name, bodyBytes: body.length, samplesPerBody: samples / rounds, samplesPerSecond: Math.round(samples / elapsed) }));
}

const influx = influxBody(5_000);
const json = jsonBody(10_000);
run('influx-parse', influx, (body) => parseInfluxLines(body, 'ns', NOW));
run('json-parse', json, (body) => parseJsonBatch(body, NOW));
const types = new MetricTypeRegistry();
const parsed = parseJsonBatch(json, NOW).samples;
run('validate-json-samples', json, () => validateSamples(parsed, defaultValidationPolicy(NOW), types));
