import { Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpSetup } from '@vigil/platform';

/** Form bodies (Twilio posts its status callbacks form-encoded) parsed into URLSearchParams. */
@Injectable()
export class NotifyHttpSetup implements HttpSetup {
  configureHttp(app: NestFastifyApplication): void {
    app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, new URLSearchParams(body.toString('utf8'))));
  }
}
