import { fingerprint } from '../labels';
import { matchesAll } from '../matchers';
import { isResolved, type Alert } from '../alert';
import type { InhibitRule } from '../config/alertmanager-config';

/**
 * Alertmanager's Inhibitor.Mutes, returning every inhibitor: the fingerprints (sorted) of firing source alerts that
 * mute `target`. A rule applies when the target matches its target matchers; a source matches the source matchers
 * and agrees with the target on every `equal` label (absent = empty on both sides). When the target also matches
 * the source matchers, sources that match the target matchers too are left out, so an alert never inhibits itself
 * (or its peers).
 */
export function inhibitedBy(rules: readonly InhibitRule[], alerts: readonly Alert[], target: Alert, now: number): string[] {
  const out = new Set<string>();
  const targetFp = target.fingerprint || fingerprint(target.labels);
  for (const rule of rules) {
    if (!matchesAll(rule.targetMatchers, target.labels)) continue;
    const twoSided = matchesAll(rule.sourceMatchers, target.labels);
    for (const source of alerts) {
      if (isResolved(source, now)) continue;
      if (!matchesAll(rule.sourceMatchers, source.labels)) continue;
      if (!rule.equal.every((n) => (source.labels[n] ?? '') === (target.labels[n] ?? ''))) continue;
      if (twoSided && matchesAll(rule.targetMatchers, source.labels)) continue;
      const fp = source.fingerprint || fingerprint(source.labels);
      if (fp !== targetFp) out.add(fp);
    }
  }
  return [...out].sort();
}
