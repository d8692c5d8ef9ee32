import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { INCIDENT_RUNTIME, type IncidentRuntime } from '../incident-runtime';
import { describeError, parseWith } from '@vigil/platform';
import { renderAtomFeed } from './atom-feed';
import { buildPublicStatus, HISTORY_DAYS, type PublicStatusModel } from './public-status';
import { renderMessagePage, renderStatusPage } from './status-page.renderer';
import { incidentsShape, summaryShape } from './statuspage-shapes';

const SubscribeBodySchema = z.object({ email: z.string().max(300).optional(), phone: z.string().max(40).optional() });
const DAY = 86_400_000;

/** The public status page: no login, customer updates only. */
@Controller('status')
export class StatusPageController {
  constructor(@Inject(INCIDENT_RUNTIME) private readonly runtime: IncidentRuntime) {}

  private get title(): string {
    return this.runtime.config.INCIDENT_STATUS_PAGE_TITLE;
  }

  private async model(): Promise<PublicStatusModel> {
    const now = Date.now();
    // Declared up to twice the window ago: a long incident may have been updated inside the window.
    const views = await this.runtime.readModels.list({ since: now - 2 * HISTORY_DAYS * DAY, limit: 5000 });
    return buildPublicStatus(views, this.runtime.config.INCIDENT_STATUS_COMPONENTS, now);
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  async page() {
    return renderStatusPage(await this.model(), this.title);
  }

  @Get('feed.atom')
  @Header('content-type', 'application/atom+xml; charset=utf-8')
  async feed() {
    return renderAtomFeed(await this.model(), this.title, this.runtime.publicUrl);
  }

  @Get('api/v2/summary.json')
  async summary() {
    return summaryShape(await this.model(), this.title, `${this.runtime.publicUrl}/status`);
  }

  @Get('api/v2/incidents.json')
  async incidents() {
    return incidentsShape(await this.model(), this.title, `${this.runtime.publicUrl}/status`);
  }

  /** Form post (urlencoded, answered with HTML) or JSON (answered with JSON). */
  @Post('subscribe')
  async subscribe(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const json = (request.headers['content-type'] ?? '').includes('application/json');
    try {
      const input = parseWith(SubscribeBodySchema, body);
      const record = await this.runtime.subscriptions.request({ email: input.email || undefined, phone: input.phone || undefined }, request.ip);
      if (json) return reply.status(202).send({ subscription: { id: record.id, channel: record.channel, status: record.status } });
      const what = record.status === 'active' ? 'This address is already subscribed.' : `We sent a confirmation to ${record.address}. Open its link to start receiving updates.`;
      return reply.status(202).type('text/html; charset=utf-8').send(renderMessagePage(this.title, 'Check your messages', what));
    } catch (error) {
      return this.fail(error, json, reply);
    }
  }

  @Get('subscriptions/confirm/:token')
  @Header('content-type', 'text/html; charset=utf-8')
  confirmForm(@Param('token') token: string) {
    // A GET only shows a button: mail scanners that prefetch links must not confirm on someone's behalf.
    return renderMessagePage(this.title, 'Confirm your subscription', 'Confirm that you want status updates.', {
      url: `/status/subscriptions/confirm/${encodeURIComponent(token)}`,
      label: 'Confirm subscription',
    });
  }

  @Post('subscriptions/confirm/:token')
  @HttpCode(200)
  async confirm(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      await this.runtime.subscriptions.confirm(token);
      return reply.type('text/html; charset=utf-8').send(renderMessagePage(this.title, 'Subscribed', 'You will receive status updates from now on.'));
    } catch (error) {
      return this.fail(error, (request.headers.accept ?? '').includes('application/json'), reply);
    }
  }

  @Get('subscriptions/unsubscribe/:token')
  @Header('content-type', 'text/html; charset=utf-8')
  unsubscribeForm(@Param('token') token: string) {
    return renderMessagePage(this.title, 'Unsubscribe', 'Stop receiving status updates?', {
      url: `/status/subscriptions/unsubscribe/${encodeURIComponent(token)}`,
      label: 'Unsubscribe',
    });
  }

  @Post('subscriptions/unsubscribe/:token')
  @HttpCode(200)
  async unsubscribe(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      await this.runtime.subscriptions.unsubscribe(token);
      return reply.type('text/html; charset=utf-8').send(renderMessagePage(this.title, 'Unsubscribed', 'You will not receive further updates.'));
    } catch (error) {
      return this.fail(error, (request.headers.accept ?? '').includes('application/json'), reply);
    }
  }

  private fail(error: unknown, json: boolean, reply: FastifyReply) {
    const { status, code, message } = describeError(error);
    // 5xx: rethrown for the global filter, which logs it and answers without internals.
    if (status >= 500) throw error;
    if (json) return reply.status(status).send({ error: { code, message } });
    return reply.status(status).type('text/html; charset=utf-8').send(renderMessagePage(this.title, 'That did not work', message));
  }
}
