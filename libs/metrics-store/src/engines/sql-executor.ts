/**
 * The store's seam to a ClickHouse engine. Everything the store does is expressed as plain SQL
 * text (values escaped by `sql/sql-escape`) so the same statements run on ClickHouse 18.16 over
 * HTTP and on current ClickHouse embedded through chdb.
 */
export type InsertFormat = 'TabSeparated' | 'JSONEachRow' | 'RowBinary';

/** Per-statement options of reads. */
export interface QueryOptions {
  /**
   * Cancels the statement: the HTTP executor aborts the request and asks the server to `KILL QUERY` it (by its
   * query_id); chdb runs in-process and cannot be interrupted, so it checks the signal before and after the call.
   * Either way the promise rejects with QueryAbortedError.
   */
  signal?: AbortSignal;
}

export interface SqlExecutor {
  /** Runs a statement whose output is not needed (DDL, ALTER, INSERT ... SELECT). */
  exec(sql: string): Promise<void>;
  /** Runs a SELECT (without a FORMAT clause) and returns its rows, read as JSONEachRow. */
  query<T>(sql: string, options?: QueryOptions): Promise<T[]>;
  /** Runs a SELECT (without a FORMAT clause) and returns its result in RowBinary, for bulk reads. */
  queryBinary(sql: string, options?: QueryOptions): Promise<Uint8Array>;
  /**
   * Inserts a pre-encoded body into `table` (`db.table`, already escaped) for the given plain
   * column names, as one INSERT statement (atomic while below max_insert_block_size rows).
   */
  insert(table: string, columns: readonly string[], format: InsertFormat, body: string | Uint8Array): Promise<void>;
  /** Short engine label for logs and test names, e.g. `clickhouse-http 18.16.1`. */
  readonly engine: string;
}

export class SqlExecutionError extends Error {
  override readonly name = 'SqlExecutionError';
  constructor(
    readonly engine: string,
    readonly sql: string,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${engine}: ${detail.trim()} (statement: ${sql.length > 300 ? `${sql.slice(0, 300)}…` : sql})`, { cause });
  }
}

/** A read given up because its AbortSignal fired (the client went away). */
export class QueryAbortedError extends Error {
  override readonly name = 'QueryAbortedError';
  constructor(readonly engine: string) {
    super(`${engine}: query canceled`);
  }
}

/** Throws QueryAbortedError when `signal` has fired. */
export function throwIfAborted(engine: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new QueryAbortedError(engine);
}

/** Splits a JSONEachRow response into parsed rows. */
export function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start) rows.push(JSON.parse(text.slice(start, end)) as T);
    start = end + 1;
  }
  return rows;
}
