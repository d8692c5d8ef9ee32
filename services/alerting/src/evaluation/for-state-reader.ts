import { isStaleNaN } from '@vigil/promql';
import type { Logger } from '@vigil/platform';
import type { QueryStorage } from '@vigil/query-storage';
import type { RuleGroup } from '../rules/rule-file';
import { forStateMatchers, forStateRange, restoreForState, type ForStateSample, type RestoreOptions } from './for-state-restore';
import type { GroupState } from './rule-state';

/**
 * Prometheus' Group.RestoreForState over the ClickHouse store: for each unrestored alerting rule whose `for` is at
 * least the grace period, the last raw sample of each of its ALERTS_FOR_STATE series in [now − outage tolerance,
 * now]; then `restoreForState`. A rule whose read fails is marked restored without data, as Prometheus does.
 */
export async function readAndRestoreForState(storage: QueryStorage, logger: Logger, group: RuleGroup, state: GroupState, now: number, options: RestoreOptions): Promise<GroupState> {
  const range = forStateRange(now, options);
  const series = await Promise.all(
    group.rules.map(async (rule, i): Promise<ForStateSample[] | undefined> => {
      if (rule.kind !== 'alerting' || state.rules[i]?.restored || rule.for < options.forGracePeriod) return undefined;
      try {
        const planned = storage.plan({ ...range, step: 0, resolution: 'raw' });
        const found = await planned.source.select({ ...range, step: 0, range: 0, func: null, grouping: [], by: false }, forStateMatchers(rule));
        return found
          .filter((s) => s.t.length > 0)
          .map((s) => {
            const last = s.t.length - 1;
            return { labels: s.labels, t: s.t[last], v: s.v[last], stale: isStaleNaN(s.v[last]) };
          });
      } catch (error) {
        logger.error({ group: group.name, file: group.file, alertname: rule.alert, err: error instanceof Error ? error.message : String(error) }, "failed to restore 'for' state");
        return undefined;
      }
    }),
  );
  return restoreForState(group, state, now, series, options);
}
