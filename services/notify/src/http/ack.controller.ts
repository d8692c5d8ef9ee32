import { Body, Controller, Get, Header, Headers, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { CONFIG, parseWith, VigilError } from '@vigil/platform';
import { z } from 'zod';
import { verifyTwilioSignature } from '../channels/sms';
import type { NotifyConfig } from '../config/notify-config';
import type { Directory } from '../directory/directory';
import { parseSmsReply } from '../escalation';
import { EscalationService } from '../escalation/escalation.service';
import { escapeHtml } from '../templates';
import { DIRECTORY } from '../notify.tokens';
import { SubscriberStore } from '../subscribers/subscriber-store';

const TokenSchema = z.object({ token: z.string().min(1).max(2048) }).strict();

/**
 * Acknowledging a page stops its escalation: by the signed link in the page (`GET /api/v1/ack?token=`, a small
 * page for a phone's browser), by REST with the same token (`POST /api/v1/ack {"token"}`), or by replying
 * `ACK <code>` to the SMS (Twilio's inbound webhook `POST /api/v1/sms/inbound`, signed; the sender must be the
 * directory's person with that number).
 */
@Controller('api/v1')
export class AckController {
  constructor(
    @Inject(CONFIG) private readonly config: NotifyConfig,
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(EscalationService) private readonly escalations: EscalationService,
    @Inject(SubscriberStore) private readonly subscribers: SubscriberStore,
  ) {}

  @Get('ack')
  @Header('content-type', 'text/html; charset=utf-8')
  async link(@Query() query: unknown): Promise<string> {
    const { token } = parseWith(TokenSchema, query, 'query');
    const result = await this.byToken(token, 'link');
    const title = result.ok ? 'Acknowledged' : 'Already handled';
    const text = result.ok ? `You acknowledged the page; the escalation stopped.` : `This page was already ${result.status}${result.by ? ` by ${result.by}` : ''}.`;
    return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body><h1>${title}</h1><p>${escapeHtml(text)}</p></body></html>`;
  }

  @Post('ack')
  @HttpCode(200)
  async rest(@Body() body: unknown) {
    const { token } = parseWith(TokenSchema, body);
    return this.byToken(token, 'rest');
  }

  /** Twilio's inbound SMS webhook; answers TwiML with a reply message. */
  @Post('sms/inbound')
  @HttpCode(200)
  @Header('content-type', 'text/xml; charset=utf-8')
  async inbound(@Body() body: unknown, @Headers('x-twilio-signature') signature: string | undefined): Promise<string> {
    if (!(body instanceof URLSearchParams)) throw new VigilError('invalid', 'invalid_request', 'expected a form-encoded body (application/x-www-form-urlencoded)');
    const url = `${(this.config.NOTIFY_PUBLIC_URL ?? '').replace(/\/+$/, '')}/api/v1/sms/inbound`;
    const params: Record<string, string[]> = {};
    for (const [k, v] of body) (params[k] ??= []).push(v);
    if (!verifyTwilioSignature(this.config.SMS_AUTH_TOKEN, url, params, signature)) throw new VigilError('forbidden', 'bad_signature', 'X-Twilio-Signature does not match this request');
    const reply = parseSmsReply(body.get('Body') ?? '');
    const from = body.get('From') ?? '';
    // STOP / START: Twilio answers the opt-out itself and blocks the number; notify stops trying it too.
    if (reply.kind === 'stop' || reply.kind === 'start') {
      await this.subscribers.optOut(from, reply.kind === 'stop');
      return twiml();
    }
    if (reply.kind !== 'ack') return twiml(reply.kind === 'unknown' ? 'Reply ACK <code> to acknowledge a page.' : undefined);
    const person = this.directory.personByPhone(from);
    const id = await this.escalations.byCode(reply.code);
    if (!person || !id) return twiml(`No page has the code ${reply.code}.`);
    const { ok, record } = await this.escalations.acknowledge(id, person.id, 'sms');
    return twiml(ok ? `Acknowledged, ${person.name}: the escalation stopped.` : `Already ${record?.status ?? 'handled'}${record?.acknowledgedBy ? ` by ${record.acknowledgedBy}` : ''}.`);
  }

  private async byToken(token: string, via: string): Promise<{ ok: boolean; escalation: string; status: string; by?: string }> {
    const verified = this.escalations.verifyToken(token);
    if (!verified.ok) throw new VigilError(verified.reason === 'expired' ? 'forbidden' : 'unauthorized', `ack_${verified.reason}`, `acknowledgement token ${verified.reason.replace('_', ' ')}`);
    const { pageId, person } = verified.claims;
    const { ok, record } = await this.escalations.acknowledge(pageId, person, via);
    if (!record) throw new VigilError('not_found', 'no_escalation', `no escalation ${pageId}`);
    return { ok, escalation: pageId, status: record.status, ...(record.acknowledgedBy ? { by: record.acknowledgedBy } : {}) };
  }
}

function twiml(message?: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${message ? `<Message>${escapeHtml(message)}</Message>` : ''}</Response>`;
}
