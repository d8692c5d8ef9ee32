import { Agent, request } from 'node:http';
import { encodeRemoteWriteBody } from '../../libs/metrics-input/src/parsers/remote-write.encoder';

export interface LoadOptions {
  /** Series per request (the reference: 500 series × 1 sample). */
  seriesPerRequest: number;
  /** Distinct series overall; requests walk through them in slices. */
  seriesTotal: number;
  connections: number;
  durationMs: number;
  /** First sample timestamp; every request after the first round moves one second on, so every sample is unique. */
  startTimestamp: number;
  /** Rounds of pre-encoded bodies (each round covers every series once). */
  rounds: number;
  /** Reuse the bodies when they run out (fine for a receiver that de-duplicates; never for one we count exactly). */
  cycle: boolean;
}

export interface LoadResult {
  requests: number;
  acceptedSamples: number;
  rejectedRequests: number;
  elapsedMs: number;
  samplesPerSecond: number;
  latencyMs: number[];
  /** CPU this load generator itself used while sending (it shares the machine with the receiver). */
  clientCpuMs: number;
  /** The unique bodies ran out before the time was up (only when not cycling). */
  ranOutOfBodies: boolean;
}

/**
 * Pushes Prometheus remote-write requests as fast as `connections` parallel clients can for a fixed time.
 * Bodies are encoded before the clock starts, so the figure measures the receiver, not this generator.
 */
export async function runRemoteWriteLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const slices = Math.max(1, Math.floor(options.seriesTotal / options.seriesPerRequest));
  const rounds = options.rounds;
  const bodies: Buffer[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let slice = 0; slice < slices; slice++) {
      const timeseries = [];
      for (let i = 0; i < options.seriesPerRequest; i++) {
        const id = slice * options.seriesPerRequest + i;
        timeseries.push({
          labels: [
            { name: '__name__', value: 'bench_requests_total' },
            { name: 'instance', value: `host-${id % 100}` },
            { name: 'job', value: 'bench' },
            { name: 'series', value: String(id) },
          ],
          samples: [{ value: round * 10 + (id % 7), timestamp: options.startTimestamp + round * 1000 }],
        });
      }
      bodies.push(encodeRemoteWriteBody({ timeseries }));
    }
  }

  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(`${url}/api/v1/write`);
  const post = (body: Buffer) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
            'content-length': body.length,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const result: LoadResult = { requests: 0, acceptedSamples: 0, rejectedRequests: 0, elapsedMs: 0, samplesPerSecond: 0, latencyMs: [], clientCpuMs: 0, ranOutOfBodies: false };
  let next = 0;
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const deadline = started + options.durationMs;
  const worker = async () => {
    while (Date.now() < deadline && (options.cycle || next < bodies.length)) {
      const body = bodies[next++ % bodies.length];
      const t0 = performance.now();
      const status = await post(body);
      result.latencyMs.push(performance.now() - t0);
      result.requests++;
      if (status >= 200 && status < 300) result.acceptedSamples += options.seriesPerRequest;
      else result.rejectedRequests++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  result.elapsedMs = Date.now() - started;
  result.ranOutOfBodies = !options.cycle && next >= bodies.length;
  const cpu = process.cpuUsage(cpuBefore);
  result.clientCpuMs = Math.round((cpu.user + cpu.system) / 1000);
  result.samplesPerSecond = Math.round((result.acceptedSamples / result.elapsedMs) * 1000);
  agent.destroy();
  return result;
}
