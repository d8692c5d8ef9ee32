import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from 'chdb';
import { sqlString } from '../sql/sql-escape';
import { SqlExecutionError, parseJsonEachRow, throwIfAborted, type InsertFormat, type QueryOptions, type SqlExecutor } from './sql-executor';

/**
 * Current ClickHouse embedded in-process through npm `chdb`, on a `Session` so databases persist
 * between statements. Used to prove every statement also runs on today's engine.
 */
export class ChdbExecutor implements SqlExecutor {
  readonly engine = 'chdb';
  private spool: string | undefined;
  private spoolCount = 0;

  private constructor(private readonly session: Session) {}

  /** Opens a session on `path` (a temporary directory when omitted). chdb loads lazily, only when asked for. */
  static async open(path?: string): Promise<ChdbExecutor> {
    const chdb = await import('chdb');
    return new ChdbExecutor(new chdb.Session(path));
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.session.queryAsync(sql, { format: 'TabSeparated' });
    } catch (error) {
      throw new SqlExecutionError(this.engine, sql, error);
    }
  }

  async query<T>(sql: string, options: QueryOptions = {}): Promise<T[]> {
    throwIfAborted(this.engine, options.signal);
    let text: string;
    try {
      text = (await this.session.queryAsync(sql, { format: 'JSONEachRow' })).text();
    } catch (error) {
      throw new SqlExecutionError(this.engine, sql, error);
    }
    throwIfAborted(this.engine, options.signal);
    return parseJsonEachRow<T>(text);
  }

  async queryBinary(sql: string, options: QueryOptions = {}): Promise<Uint8Array> {
    throwIfAborted(this.engine, options.signal);
    let bytes: Uint8Array;
    try {
      bytes = (await this.session.queryAsync(sql, { format: 'RowBinary' })).bytes();
    } catch (error) {
      throw new SqlExecutionError(this.engine, sql, error);
    }
    throwIfAborted(this.engine, options.signal);
    return bytes;
  }

  async insert(table: string, columns: readonly string[], format: InsertFormat, body: string | Uint8Array): Promise<void> {
    if (body.length === 0) return;
    if (format === 'RowBinary') return this.insertBinary(table, columns, body);
    try {
      await this.session.insert({ table, columns, format, values: typeof body === 'string' ? Buffer.from(body, 'utf8') : body });
    } catch (error) {
      throw new SqlExecutionError(this.engine, `INSERT INTO ${table} FORMAT ${format}`, error);
    }
  }

  close(): void {
    this.session.close();
    if (this.spool) rmSync(this.spool, { recursive: true, force: true });
  }

  /** chdb's raw insert takes text formats only; binary rows go through a spool file and FROM INFILE. */
  private async insertBinary(table: string, columns: readonly string[], body: string | Uint8Array): Promise<void> {
    this.spool ??= mkdtempSync(join(tmpdir(), 'vigil-chdb-'));
    const file = join(this.spool, `insert-${++this.spoolCount}.bin`);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) FROM INFILE ${sqlString(file)} FORMAT RowBinary`;
    try {
      writeFileSync(file, body);
      await this.session.queryAsync(sql, { format: 'TabSeparated' });
    } catch (error) {
      throw new SqlExecutionError(this.engine, sql, error);
    } finally {
      rmSync(file, { force: true });
    }
  }
}
