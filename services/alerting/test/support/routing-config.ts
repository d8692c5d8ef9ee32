import { jetstreamManager } from '@nats-io/jetstream';
import { connectNats } from '@vigil/platform';
import { infraEnv } from '@vigil/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A routing config sending everything to one receiver without integrations (Alertmanager's blackhole), grouped by
 * every label (one group per alert).
 */
export const blackholeRouting = (receiver = 'default') => `route:\n  receiver: "${receiver}"\n  group_by: ['...']\nreceivers:\n  - name: "${receiver}"\n`;

/** Writes an Alertmanager config to a temp file for ALERTING_ALERTMANAGER_CONFIG; its path. */
export function routingConfigFile(text: string = blackholeRouting()): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-am-'));
  const file = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(file, text);
  return file;
}

/** A stream name of the test's own for ALERTING_ALERTS_STREAM: tests never touch (or re-subject) a real ALERTS. */
export const testAlertsStream = (id: string) => `ALERTS_${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** Deletes the test's alert streams (those alerting created at start). */
export async function deleteStreams(names: readonly string[]): Promise<void> {
  const nc = await connectNats(infraEnv.natsUrl, 'alerting-test-cleanup');
  try {
    const jsm = await jetstreamManager(nc);
    for (const name of names) await jsm.streams.delete(name).catch(() => undefined);
  } finally {
    await nc.close();
  }
}
