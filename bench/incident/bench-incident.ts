import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { IncidentEventVersions } from '@vigil/contracts';
import { JetStreamEventStore } from '@vigil/eventstore';
import { connectNats, createRedis } from '@vigil/platform';
import { defaultSitrepCadence } from '../../services/incident/src/incidents/incident.decider';
import { IncidentCommandService } from '../../services/incident/src/incidents/incident-command.service';
import { IncidentEventsRepository } from '../../services/incident/src/incidents/incident-events.repository';
import { IncidentReadModelProjection } from '../../services/incident/src/projections/incident-read-model.projection';
import { IncidentReadModelRepository } from '../../services/incident/src/projections/incident-read-model.repository';

/**
 * `npm run bench:incident`: command → event appended → projection updated latency, append throughput, and
 * replay rate of 100,000 events, on the real NATS JetStream and Redis, in a private stream and key prefix.
 * Env: BENCH_LATENCY_COMMANDS (default 500), BENCH_APPENDS (5000), BENCH_REPLAY_EVENTS (100000).
 */
const LATENCY_COMMANDS = Number(process.env.BENCH_LATENCY_COMMANDS ?? 500);
const APPENDS = Number(process.env.BENCH_APPENDS ?? 5000);
const REPLAY_EVENTS = Number(process.env.BENCH_REPLAY_EVENTS ?? 100_000);
const ACTOR = { person: 'bench', team: 'bench', admin: false };

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2));
};
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

function noteEnvelope(incidentId: string, i: number) {
  return { id: randomUUID(), type: 'NoteAdded', version: IncidentEventVersions.NoteAdded, time: Date.now(), incidentId, actor: ACTOR, data: { text: `note ${i}` } };
}

function declaredEnvelope(incidentId: string) {
  const now = Date.now();
  return {
    id: randomUUID(),
    type: 'IncidentDeclared',
    version: IncidentEventVersions.IncidentDeclared,
    time: now,
    incidentId,
    actor: ACTOR,
    data: { incidentId, title: 'bench', severity: 'SEV3', components: ['bench'], commander: 'bench', declaredAt: now, sitrepDueAt: null },
  };
}

async function main() {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const nc = await connectNats(process.env.NATS_URL ?? 'nats://127.0.0.1:4222', 'bench-incident');
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'bench-incident');
  const store = await JetStreamEventStore.open(nc, { stream: name.toUpperCase(), subjectPrefix: `${name}.incident.events` });
  const readModels = new IncidentReadModelRepository(redis, `bench:${name}`);
  const projection = new IncidentReadModelProjection(store, redis, readModels);
  const commands = new IncidentCommandService(new IncidentEventsRepository(store), defaultSitrepCadence);
  const result: Record<string, unknown> = { stream: name.toUpperCase() };
  try {
    // 1. command → event appended → projection updated, one command at a time on 20 incidents
    await projection.start();
    const applied = new Map<number, () => void>();
    projection.onApplied((sequence) => applied.get(sequence)?.());
    const incidents: string[] = [];
    for (let i = 0; i < 20; i++) {
      incidents.push((await commands.declare({ type: 'DeclareIncident', data: { title: `bench ${i}`, severity: 'SEV2' } }, { actor: ACTOR })).incidentId);
    }
    const toAppend: number[] = [];
    const toProjection: number[] = [];
    for (let i = 0; i < LATENCY_COMMANDS; i++) {
      const start = process.hrtime.bigint();
      let projected!: Promise<void>;
      const { events } = await commands.execute(incidents[i % incidents.length], { type: 'AddNote', data: { text: `n${i}` } }, { actor: ACTOR });
      const sequence = events[0].sequence;
      toAppend.push(ms(start));
      projected = new Promise<void>((resolve) => applied.set(sequence, resolve));
      if ((await readModels.checkpoint()) >= sequence) applied.get(sequence)?.();
      await projected;
      applied.delete(sequence);
      toProjection.push(ms(start));
    }
    await projection.stop();
    result.commandLatencyMs = {
      commands: LATENCY_COMMANDS,
      appended: { p50: percentile(toAppend, 50), p99: percentile(toAppend, 99) },
      projected: { p50: percentile(toProjection, 50), p99: percentile(toProjection, 99) },
    };

    // 2. append throughput: raw commits with expected sequence, 64 writers over 256 incident streams
    const streams = Array.from({ length: 256 }, (_, i) => ({ id: `tp${i}`, seq: 0 }));
    const jobs = Array.from({ length: APPENDS }, (_, i) => streams[i % streams.length]);
    const locks = new Map<string, Promise<void>>();
    let start = process.hrtime.bigint();
    await pool(jobs, 64, async (s) => {
      const previous = locks.get(s.id) ?? Promise.resolve();
      const mine = previous.then(async () => {
        const { sequence } = await store.append(s.id, [s.seq === 0 ? declaredEnvelope(s.id) : noteEnvelope(s.id, s.seq)], s.seq);
        s.seq = sequence;
      });
      locks.set(s.id, mine);
      await mine;
    });
    const appendSeconds = ms(start) / 1000;
    result.appendThroughput = { commits: APPENDS, writers: 64, seconds: Number(appendSeconds.toFixed(2)), eventsPerSecond: Math.round(APPENDS / appendSeconds) };

    // 3. replay: fill the stream up to REPLAY_EVENTS events over 1,000 incidents, then rebuild the read models from scratch
    const already = await store.headSequence();
    const fill = Array.from({ length: Math.max(0, REPLAY_EVENTS - already) }, (_, i) => i);
    const replayStreams = Array.from({ length: 1000 }, (_, i) => ({ id: `rp${i}`, seq: 0 }));
    const fillLocks = new Map<string, Promise<void>>();
    await pool(fill, 128, async (i) => {
      const s = replayStreams[i % replayStreams.length];
      const mine = (fillLocks.get(s.id) ?? Promise.resolve()).then(async () => {
        const { sequence } = await store.append(s.id, [s.seq === 0 ? declaredEnvelope(s.id) : noteEnvelope(s.id, i)], s.seq);
        s.seq = sequence;
      });
      fillLocks.set(s.id, mine);
      await mine;
    });
    let events = 0;
    start = process.hrtime.bigint();
    await store.readAll(1, async (commit) => {
      events += commit.events.length;
    });
    const readSeconds = ms(start) / 1000;
    start = process.hrtime.bigint();
    const head = await projection.rebuild();
    const rebuildSeconds = ms(start) / 1000;
    result.replay = {
      events,
      head,
      readOnly: { seconds: Number(readSeconds.toFixed(2)), eventsPerSecond: Math.round(events / readSeconds) },
      rebuildReadModels: { seconds: Number(rebuildSeconds.toFixed(2)), eventsPerSecond: Math.round(events / rebuildSeconds), incidents: (await readModels.list({ limit: 1_000_000 })).length },
    };
  } finally {
    await readModels.clear();
    await (await jetstreamManager(nc)).streams.delete(name.toUpperCase()).catch(() => undefined);
    await nc.drain();
    redis.disconnect();
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench-incident: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
