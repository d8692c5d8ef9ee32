import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@vigil/platform';
import type { AlertingConfig } from '../config/alerting-config';
import { parseAlertmanagerConfig, type AlertmanagerConfig, type AlertmanagerConfigResult } from './config/alertmanager-config';

/** Reads and parses an Alertmanager config file; an unreadable file is an error like a bad one. */
export function readAlertmanagerConfig(path: string): AlertmanagerConfigResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, errors: [`${path}: cannot read: ${(error as Error).message}`] };
  }
  return parseAlertmanagerConfig(text, path);
}

/**
 * The routing config in force (ALERTING_ALERTMANAGER_CONFIG). Loaded at start — a bad file was already a config
 * error (exit 78) — and swapped on reload only when the new file parses, so the previous config keeps routing.
 */
@Injectable()
export class AlertmanagerConfigHolder {
  private config: AlertmanagerConfig;

  constructor(@Inject(CONFIG) private readonly env: AlertingConfig) {
    const result = readAlertmanagerConfig(env.ALERTING_ALERTMANAGER_CONFIG);
    if (!result.ok) throw new Error(`invalid Alertmanager config:\n${result.errors.join('\n')}`);
    this.config = result.config;
  }

  current(): AlertmanagerConfig {
    return this.config;
  }

  /** Parses the file again without applying it. */
  check(): AlertmanagerConfigResult {
    return readAlertmanagerConfig(this.env.ALERTING_ALERTMANAGER_CONFIG);
  }

  apply(config: AlertmanagerConfig): void {
    this.config = config;
  }
}
