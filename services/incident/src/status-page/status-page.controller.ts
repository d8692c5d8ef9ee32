import { Body, Controller, Get, Header, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeError, parseWith } from '@vigil/platform';
import { ApiErrorResponses, ApiZodBody } from '../docs/zod-openapi';
import { IncidentLinks } from '../incident-links';
import { StatusSubscriptionService } from '../subscriptions/status-subscription.service';
import { renderAtomFeed } from './atom-feed';
import { PublicStatusService } from './public-status.service';
import { renderMessagePage, renderStatusPage } from './status-page.renderer';
import { incidentsShape, summaryShape } from './statuspage-shapes';

const SubscribeBodySchema = z.object({ email: z.string().max(300).optional(), phone: z.string().max(40).optional() });

/** OpenAPI: a response of the given content type (the status page answers HTML, Atom or Statuspage JSON). */
const ApiContent = (status: number, type: string, description: string) =>
  ApiResponse({ status, description, content: { [type]: { schema: type === 'application/json' ? { type: 'object' } : { type: 'string' } } } });
const ApiToken = () => ApiParam({ name: 'token', description: 'Token from the confirmation message', schema: { type: 'string' } });

/** The public status page: no login, customer updates only. */
@Controller('status')
@ApiTags('status page')
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
  @ApiOperation({ operationId: 'getStatusPage', summary: 'Public status page (HTML, no login): components, open incidents, history' })
  @ApiContent(200, 'text/html', 'The status page')
  async page() {
    return renderStatusPage(await this.model(), this.title);
  }

  @Get('feed.atom')
  @ApiOperation({ operationId: 'getStatusFeed', summary: 'Atom feed of public incidents and their customer updates' })
  @ApiContent(200, 'application/atom+xml', 'Atom feed')
  @Header('content-type', 'application/atom+xml; charset=utf-8')
  async feed() {
    return renderAtomFeed(await this.model(), this.title, this.links.base());
  }

  @Get('api/v2/summary.json')
  @ApiOperation({ operationId: 'getStatusSummary', summary: 'Statuspage-compatible summary (page, components, incidents, status)' })
  @ApiContent(200, 'application/json', 'Atlassian Statuspage `summary.json` shape')
  async summary() {
    return summaryShape(await this.model(), this.title, `${this.links.base()}/status`);
  }

  @Get('api/v2/incidents.json')
  @ApiOperation({ operationId: 'getStatusIncidents', summary: 'Statuspage-compatible incidents' })
  @ApiContent(200, 'application/json', 'Atlassian Statuspage `incidents.json` shape')
  async incidents() {
    return incidentsShape(await this.model(), this.title, `${this.links.base()}/status`);
  }

  /** Form post (urlencoded, answered with HTML) or JSON (answered with JSON). */
  @Post('subscribe')
  @ApiOperation({ operationId: 'subscribeToStatus', summary: 'Subscribe by email or phone (E.164); double opt-in, rate-limited per client address' })
  @ApiZodBody(SubscribeBodySchema, { contentTypes: ['application/json', 'application/x-www-form-urlencoded'] })
  @ApiResponse({
    status: 202,
    description: 'Pending until confirmed (JSON for a JSON request, else an HTML page)',
    content: {
      'application/json': { schema: { type: 'object', properties: { subscription: { type: 'object', properties: { id: { type: 'string' }, channel: { type: 'string' }, status: { type: 'string' } } } } } },
      'text/html': { schema: { type: 'string' } },
    },
  })
  @ApiErrorResponses(400, 429)
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
  @ApiOperation({ operationId: 'getConfirmSubscriptionForm', summary: 'Confirmation page with a button (a GET never confirms: mail scanners prefetch links)' })
  @ApiToken()
  @ApiContent(200, 'text/html', 'The confirmation form')
  @Header('content-type', 'text/html; charset=utf-8')
  confirmForm(@Param('token') token: string) {
    // A GET only shows a button: mail scanners that prefetch links must not confirm on someone's behalf.
    return renderMessagePage(this.title, 'Confirm your subscription', 'Confirm that you want status updates.', {
      url: `/status/subscriptions/confirm/${encodeURIComponent(token)}`,
      label: 'Confirm subscription',
    });
  }

  @Post('subscriptions/confirm/:token')
  @ApiOperation({ operationId: 'confirmSubscription', summary: 'Confirm a subscription' })
  @ApiToken()
  @ApiContent(200, 'text/html', 'Subscribed')
  @ApiErrorResponses(404)
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
  @ApiOperation({ operationId: 'getUnsubscribeForm', summary: 'Unsubscribe page with a button' })
  @ApiToken()
  @ApiContent(200, 'text/html', 'The unsubscribe form')
  @Header('content-type', 'text/html; charset=utf-8')
  unsubscribeForm(@Param('token') token: string) {
    return renderMessagePage(this.title, 'Unsubscribe', 'Stop receiving status updates?', {
      url: `/status/subscriptions/unsubscribe/${encodeURIComponent(token)}`,
      label: 'Unsubscribe',
    });
  }

  @Post('subscriptions/unsubscribe/:token')
  @ApiOperation({ operationId: 'unsubscribe', summary: 'Cancel a subscription' })
  @ApiToken()
  @ApiContent(200, 'text/html', 'Unsubscribed')
  @ApiErrorResponses(404)
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
