import { Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpSetup } from '@vigil/platform';
import { useJsonBodyParser } from './json-body.parser';

export const INCIDENT_BODY_LIMIT = 1024 * 1024;

/** JSON bodies where an empty body means "no body" (see json-body.parser.ts). */
@Injectable()
export class IncidentHttpSetup implements HttpSetup {
  configureHttp(app: NestFastifyApplication): void {
    useJsonBodyParser(app, INCIDENT_BODY_LIMIT);
  }
}
