/**
 * Publishes Influx line protocol to Vigil over NATS, as Telegraf's NATS output does (docs/ingest.md).
 *
 *   node -r @swc-node/register scripts/publish-influx.ts 'cpu,host=a usage_user=12.5 1763900000000000000'
 *   node -r @swc-node/register scripts/publish-influx.ts --precision s 'cpu,host=a usage_user=12.5 1763900000'
 *   node -r @swc-node/register scripts/publish-influx.ts --request 'cpu,host=a usage_user=12.5'   # ingest.v1.write.influx, prints the reply
 *
 * Reads NATS_URL (default nats://127.0.0.1:4222) and INGEST_SUBJECT_PREFIX (default empty).
 */
import { readFileSync } from 'node:fs';
import { jetstream } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import { Headers, Subjects } from '@vigil/contracts';
import { connectNats } from '@vigil/platform';

async function main() {
  const args = process.argv.slice(2);
  const precisionAt = args.indexOf('--precision');
  const precision = precisionAt >= 0 ? args.splice(precisionAt, 2)[1] : 'ns';
  const request = args.includes('--request');
  const text = args.filter((a) => a !== '--request').pop();
  if (text === undefined) throw new Error('give line protocol as argument, or "-" to read stdin');
  const body = text === '-' ? readFileSync(0) : Buffer.from(text);

  const prefix = process.env.INGEST_SUBJECT_PREFIX ?? '';
  const nc = await connectNats(process.env.NATS_URL ?? 'nats://127.0.0.1:4222', 'vigil-publisher');
  try {
    const h = headers();
    h.set(Headers.influxPrecision, precision);
    if (request) {
      const reply = await nc.request(prefix + Subjects.ingestWriteInflux, body, { timeout: 10_000, headers: h });
      console.log(reply.string());
    } else {
      const ack = await jetstream(nc).publish(prefix + Subjects.metricsInInflux, body, { headers: h });
      console.log(JSON.stringify({ stream: ack.stream, seq: ack.seq }));
    }
  } finally {
    await nc.drain();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
