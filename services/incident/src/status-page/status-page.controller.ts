import { Body, Controller, Get, Header, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeError, parseWith } from '@vigil/platform';
import { IncidentLinks } from '../incident-links';
import { StatusSubscriptionService } from '../subscriptions/status-subscription.service';
import { renderAtomFeed } from './atom-feed';
import { PublicStatusService } from './public-status.service';
import { renderMessagePage, renderStatusPage } from './status-page.renderer';
import { incidentsShape, summaryShape } from './statuspage-shapes';

const SubscribeBodySchema = z.object({ email: z.string().max(300).optional(), phone: z.string().max(40).optional() });

/** The public status page: no login, customer updates only. */
@Controller('status')
export class StatusPageController {
  constructor(
    private readonly status: PublicStatusService,
    private readonly subscriptions: StatusSubscriptionService,
    private readonly links: IncidentLinks,
  ) {}

  private get title(): string {
    return this.status.title;
  }

  private model() {
    return this.status.model();
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
    return renderAtomFeed(await this.model(), this.title, this.links.base());
  }

  @Get('api/v2/summary.json')
  async summary() {
    return summaryShape(await this.model(), this.title, `${this.links.base()}/status`);
  }

  @Get('api/v2/incidents.json')
  async incidents() {
    return incidentsShape(await this.model(), this.title, `${this.links.base()}/status`);
  }

  /** Form post (urlencoded, answered with HTML) or JSON (answered with JSON). */
  @Post('subscribe')
  async subscribe(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const json = (request.headers['content-type'] ?? '').includes('application/json');
    try {
      const input = parseWith(SubscribeBodySchema, body);
      const record = await this.subscriptions.request({ email: input.email || undefined, phone: input.phone || undefined }, request.ip);
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
      await this.subscriptions.confirm(token);
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
      await this.subscriptions.unsubscribe(token);
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
