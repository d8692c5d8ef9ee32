import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { SqlExecutionError, type InsertFormat, type SqlExecutor, parseJsonEachRow } from './sql-executor';

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

  async query<T>(sql: string): Promise<T[]> {
    try {
      const result = await this.client.query({ query: sql, format: 'JSONEachRow' });
      // Parsing the text ourselves keeps 64-bit integers as the server sent them (quoted on 18.16).
      return parseJsonEachRow<T>(await result.text());
    } catch (error) {
      throw new SqlExecutionError(this.engine, sql, error);
    }
  }

  async queryBinary(sql: string): Promise<Uint8Array> {
    try {
      const result = await this.client.exec({ query: `${sql}\nFORMAT RowBinary` });
      const chunks: Buffer[] = [];
      for await (const chunk of result.stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (error) {
      throw new SqlExecutionError(this.engine, sql, error);
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
