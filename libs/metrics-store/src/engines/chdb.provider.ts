import type { Session } from 'chdb';
import { SqlExecutionError, type InsertFormat, type SqlExecutor, parseJsonEachRow } from './sql-executor';

/**
 * Current ClickHouse embedded in-process through npm `chdb`, on a `Session` so databases persist
 * between statements. Used to prove every statement also runs on today's engine.
 */
export class ChdbExecutor implements SqlExecutor {
  readonly engine = 'chdb';

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

  async query<T>(sql: string): Promise<T[]> {
    try {
      const result = await this.session.queryAsync(sql, { format: 'JSONEachRow' });
      return parseJsonEachRow<T>(result.text());
    } catch (error) {
      throw new SqlExecutionError(this.engine, sql, error);
    }
  }

  async insert(table: string, columns: readonly string[], format: InsertFormat, body: string): Promise<void> {
    if (body.length === 0) return;
    try {
      await this.session.insert({ table, columns, format, values: Buffer.from(body, 'utf8') });
    } catch (error) {
      throw new SqlExecutionError(this.engine, `INSERT INTO ${table} FORMAT ${format}`, error);
    }
  }

  close(): void {
    this.session.close();
  }
}
