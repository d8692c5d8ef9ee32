import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../sql/sql-escape';
import { QueryAbortedError, SqlExecutionError, parseJsonEachRow, throwIfAborted, type InsertFormat, type QueryOptions, type SqlExecutor } from './sql-executor';

/** A ClickHouse server over HTTP via `@clickhouse/client` (18.16 in CI, current LTS in production). */
export class ClickHouseHttpExecutor implements SqlExecutor {
  constructor(
    private readonly client: ClickHouseClient,
    readonly engine = 'clickhouse-http',
  ) {}

  async exec(sql: string): Promise<void> {
    try {
      await this.client.command({ query: sql });
    } catch (error) {
      throw new SqlExecutionError(this.engine, sql, error);
    }
  }

  async query<T>(sql: string, options: QueryOptions = {}): Promise<T[]> {
    return this.cancellable(sql, options.signal, async (params) => {
      const result = await this.client.query({ query: sql, format: 'JSONEachRow', ...params });
      // Parsing the text ourselves keeps 64-bit integers as the server sent them (quoted on 18.16).
      return parseJsonEachRow<T>(await result.text());
    });
  }

  async queryBinary(sql: string, options: QueryOptions = {}): Promise<Uint8Array> {
    return this.cancellable(sql, options.signal, async (params) => {
      const result = await this.client.exec({ query: `${sql}\nFORMAT RowBinary`, ...params });
      const chunks: Buffer[] = [];
      for await (const chunk of result.stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
  }

  /**
   * Runs a read; with a signal it gets its own query_id, and an abort both ends the HTTP request and sends
   * `KILL QUERY ... ASYNC` for that id (18.16 keeps running a query whose client went away until it next writes).
   */
  private async cancellable<R>(sql: string, signal: AbortSignal | undefined, run: (params: { abort_signal?: AbortSignal; query_id?: string }) => Promise<R>): Promise<R> {
    throwIfAborted(this.engine, signal);
    if (!signal) {
      try {
        return await run({});
      } catch (error) {
        throw new SqlExecutionError(this.engine, sql, error);
      }
    }
    const queryId = randomUUID();
    let killing: Promise<void> = Promise.resolve();
    const kill = () => {
      killing = this.client.command({ query: `KILL QUERY WHERE query_id = ${sqlString(queryId)} ASYNC` }).then(
        () => undefined,
        () => undefined,
      );
    };
    signal.addEventListener('abort', kill, { once: true });
    try {
      return await run({ abort_signal: signal, query_id: queryId });
    } catch (error) {
      // The abort is answered once the KILL was sent and answered: no request outlives the query it belongs to (a
      // client closed right after would otherwise cut it off mid-flight).
      if (signal.aborted) {
        await killing;
        throw new QueryAbortedError(this.engine);
      }
      throw new SqlExecutionError(this.engine, sql, error);
    } finally {
      signal.removeEventListener('abort', kill);
    }
  }

  async insert(table: string, columns: readonly string[], format: InsertFormat, body: string | Uint8Array): Promise<void> {
    if (body.length === 0) return;
    try {
      // exec sends the body verbatim; client.insert would re-serialize JSON formats row by row.
      const result = await this.client.exec({
        query: `INSERT INTO ${table} (${columns.join(', ')}) FORMAT ${format}`,
        values: Readable.from([typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength)]),
      });
      result.stream.resume();
      await new Promise<void>((resolve, reject) => {
        result.stream.once('end', resolve).once('close', resolve).once('error', reject);
      });
    } catch (error) {
      throw new SqlExecutionError(this.engine, `INSERT INTO ${table} FORMAT ${format}`, error);
    }
  }
}
