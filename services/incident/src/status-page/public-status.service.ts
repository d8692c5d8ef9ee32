import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, CONFIG, type Clock } from '@vigil/platform';
import type { IncidentConfig } from '../config/incident-config';
import { IncidentReadModelRepository } from '../projections/incident-read-model.repository';
import { buildPublicStatus, HISTORY_DAYS, type PublicStatusModel } from './public-status';

const DAY = 86_400_000;

/** What the public status page shows now: the read models of the window, reduced to customer-facing facts. */
@Injectable()
export class PublicStatusService {
  constructor(
    @Inject(CONFIG) private readonly config: IncidentConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readModels: IncidentReadModelRepository,
  ) {}

  get title(): string {
    return this.config.INCIDENT_STATUS_PAGE_TITLE;
  }

  async model(): Promise<PublicStatusModel> {
    const now = this.clock();
    // Declared up to twice the window ago: a long incident may have been updated inside the window.
    const views = await this.readModels.list({ since: now - 2 * HISTORY_DAYS * DAY, limit: 5000 });
    return buildPublicStatus(views, this.config.INCIDENT_STATUS_COMPONENTS, now);
  }
}
