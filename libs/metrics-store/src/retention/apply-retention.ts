import type { SqlExecutor } from '../engines/sql-executor';
import { SERIES_DAYS, TIERS, type Tier } from '../rollups/rollup-tiers';
import { sqlInteger, sqlString, sqlTable } from '../sql/sql-escape';
import type { RetentionPolicy } from './retention-policy';

export interface DroppedPartition {
  table: string;
  /** Partition value: the partition's index (start ms / partition width). */
  partition: number;
  /** Time range the partition covered, [startMs, endMs). */
  startMs: number;
  endMs: number;
}

interface PartitionedTable {
  table: string;
  partitionMs: number;
  retentionMs: number;
}

function partitionedTables(policy: RetentionPolicy): PartitionedTable[] {
  const tiers = (Object.keys(TIERS) as Tier[]).map((tier) => ({
    table: TIERS[tier].table,
    partitionMs: TIERS[tier].partitionMs,
    retentionMs: policy[tier],
  }));
  // Series activity must outlive every tier that can still be read.
  tiers.push({ table: SERIES_DAYS.table, partitionMs: SERIES_DAYS.partitionMs, retentionMs: Math.max(...tiers.map((t) => t.retentionMs)) });
  return tiers;
}

/**
 * Drops every partition that lies entirely before `now - retention` of its tier. Partitions are
 * listed from system.parts; a partition still holding any sample younger than the cutoff stays.
 * Dropping an already dropped partition is a no-op, so two instances may run this concurrently.
 */
export async function applyRetention(client: SqlExecutor, db: string, policy: RetentionPolicy, now: number): Promise<DroppedPartition[]> {
  for (const [tier, ms] of Object.entries(policy)) {
    if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`retention for tier ${tier} must be a positive number of ms, got ${ms}`);
  }
  const tables = partitionedTables(policy);
  const rows = await client.query<{ table: string; partition: string }>(
    `SELECT DISTINCT table, partition FROM system.parts WHERE database = ${sqlString(db)} AND active`,
  );
  const dropped: DroppedPartition[] = [];
  for (const spec of tables) {
    const cutoff = now - spec.retentionMs;
    for (const row of rows) {
      if (row.table !== spec.table) continue;
      const partition = Number(row.partition);
      if (!Number.isSafeInteger(partition)) continue; // not one of ours; never guess
      const startMs = partition * spec.partitionMs;
      const endMs = startMs + spec.partitionMs;
      if (endMs > cutoff) continue;
      await client.exec(`ALTER TABLE ${sqlTable(db, spec.table)} DROP PARTITION ${sqlInteger(partition)}`);
      dropped.push({ table: spec.table, partition, startMs, endMs });
    }
  }
  return dropped;
}
