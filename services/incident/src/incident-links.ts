import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, ServiceUrl } from '@vigil/platform';
import type { IncidentConfig } from './config/incident-config';

/** The base URL customers and responders reach this instance at: INCIDENT_PUBLIC_URL, else the bound address. */
@Injectable()
export class IncidentLinks {
  constructor(
    @Inject(CONFIG) private readonly config: IncidentConfig,
    private readonly serviceUrl: ServiceUrl,
  ) {}

  base(): string {
    return (this.config.INCIDENT_PUBLIC_URL ?? this.serviceUrl.get()).replace(/\/+$/, '');
  }
}
