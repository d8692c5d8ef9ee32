/**
 * Publishes a JSON sample batch to Vigil over NATS (docs/ingest.md).
 *
 *   node -r @swc-node/register scripts/publish-json.ts '{"samples":[{"name":"up","value":1}]}'
 *   echo '{"samples":[...]}' | node -r @swc-node/register scripts/publish-json.ts -
 *   node -r @swc-node/register scripts/publish-json.ts --request '{"samples":[...]}'   # ingest.v1.write.json, prints the reply
 *   node -r @swc-node/register scripts/publish-json.ts --generate 100000 --series 1000 # synthetic load, 1000 samples per message
 *
 * Without --request the batch goes straight into JetStream on `metrics.in.json` and the PubAck is printed.
 * Reads NATS_URL (default nats://127.0.0.1:4222) and INGEST_SUBJECT_PREFIX (default empty).
 */
import { readFileSync } from 'node:fs';
import { jetstream } from '@nats-io/jetstream';
import { Subjects } from '@vigil/contracts';
import { connectNats, type NatsConnection } from '@vigil/platform';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main() {
  const prefix = process.env.INGEST_SUBJECT_PREFIX ?? '';
  const nc = await connectNats(process.env.NATS_URL ?? 'nats://127.0.0.1:4222', 'vigil-publisher');
  try {
    const generate = option('--generate');
    if (generate !== undefined) return await publishGenerated(nc, prefix, Number(generate), Number(option('--series') ?? 1000));
    const argument = process.argv.slice(2).filter((a) => a !== '--request').pop();
    if (argument === undefined) throw new Error('give a JSON batch as argument, "-" to read stdin, or --generate N');
    const body = argument === '-' ? readFileSync(0) : Buffer.from(argument);
    if (process.argv.includes('--request')) {
      const reply = await nc.request(prefix + Subjects.ingestWriteJson, body, { timeout: 10_000 });
      console.log(reply.string());
    } else {
      const ack = await jetstream(nc).publish(prefix + Subjects.metricsInJson, body);
      console.log(JSON.stringify({ stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate }));
    }
  } finally {
    await nc.drain();
  }
}

/** `total` samples over `series` series (`vigil_demo_value{series="…"}`), one message per round, one second apart. */
async function publishGenerated(nc: NatsConnection, prefix: string, total: number, series: number) {
  if (!Number.isInteger(total) || total <= 0 || !Number.isInteger(series) || series <= 0) throw new Error('--generate and --series take positive integers');
  const js = jetstream(nc);
  const rounds = Math.ceil(total / series);
  const start = Date.now() - rounds * 1000;
  const began = Date.now();
  let sent = 0;
  for (let round = 0; round < rounds; round += 20) {
    const acks: Promise<unknown>[] = [];
    for (let r = round; r < Math.min(rounds, round + 20); r++) {
      const count = Math.min(series, total - r * series);
      const samples = Array.from({ length: count }, (_, s) => ({ name: 'vigil_demo_value', labels: { series: String(s) }, value: Math.random(), timestamp: start + r * 1000 }));
      acks.push(js.publish(prefix + Subjects.metricsInJson, JSON.stringify({ samples })));
      sent += count;
    }
    await Promise.all(acks);
  }
  const seconds = (Date.now() - began) / 1000;
  console.log(JSON.stringify({ samples: sent, messages: rounds, seconds, samplesPerSecond: Math.round(sent / seconds) }));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
