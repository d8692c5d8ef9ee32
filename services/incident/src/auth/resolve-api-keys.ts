import type { Logger } from '@vigil/platform';
import type { IncidentConfig } from '../config/incident-config';
import { ApiKeys, ensureDevApiKeysFile } from './api-keys';

/** VIGIL_API_KEYS_FILE, or a development file with one admin key (created once, its key printed once). */
export function resolveApiKeys(config: IncidentConfig, logger: Logger): ApiKeys {
  if (config.VIGIL_API_KEYS_FILE) return ApiKeys.load(config.VIGIL_API_KEYS_FILE);
  const dev = ensureDevApiKeysFile(config.INCIDENT_DATA_DIR);
  if (dev.created) {
    // Printed once, on creation, so the operator can use the API right away.
    process.stdout.write(`\nincident: created ${dev.path} with admin API key:\n  ${dev.adminKey}\n\n`);
  } else {
    logger.info({ path: dev.path }, 'using development API keys file (set VIGIL_API_KEYS_FILE to use your own)');
  }
  return ApiKeys.load(dev.path);
}
