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
