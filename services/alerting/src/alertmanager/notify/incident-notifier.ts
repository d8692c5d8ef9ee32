import { headers as natsHeaders, type NatsConnection } from '@nats-io/nats-core';
import { IncidentCommandAuthHeader, IncidentCommandReplySchema, type IncidentCommandReply } from '@vigil/contracts';
import type { Redis } from 'ioredis';
import type { Notification } from '../notification';
import { incidentAction, incidentDedupKey, type IncidentDecisionConfig } from './incident-declare';

export class IncidentCommandError extends Error {
  override readonly name = 'IncidentCommandError';
}

/** How long the group → incident link is kept for the resolve note (a group quiet this long gets no note). */
const LINK_TTL_S = 30 * 24 * 3600;

/**
 * The `incident` receiver: declares (or lands on) the group's incident through `incident.v1.cmd.declare` with the
 * group's dedup key and links its alerts; when all alerts resolved, adds a timeline note on the incident it
 * declared (remembered in Redis by dedup key, so any replica can add it).
 */
export class IncidentNotifier {
  constructor(
    private readonly nc: NatsConnection,
    private readonly redis: Redis,
    private readonly options: { commandPrefix: string; apiKey: string; redisPrefix: string; timeoutMs: number },
  ) {}

  /** What happened: the incident declared or landed on, a note added, or nothing to do. */
  async notify(n: Notification, config: IncidentDecisionConfig & { sendResolved: boolean }): Promise<{ incidentId?: string; action: 'declared' | 'linked' | 'noted' | 'none' }> {
    const action = incidentAction(n, config);
    const linkKey = `${this.options.redisPrefix}incident-of:${incidentDedupKey(n)}`;
    if (action.kind === 'none') return { action: 'none' };
    if (action.kind === 'note') {
      const incidentId = await this.redis.get(linkKey);
      if (!incidentId) return { action: 'none' };
      await this.command('add-note', { incidentId, text: action.text });
      await this.redis.del(linkKey);
      return { incidentId, action: 'noted' };
    }
    const reply = await this.command('declare', action.payload);
    const incidentId = reply.incidentId;
    await this.redis.set(linkKey, incidentId, 'EX', LINK_TTL_S);
    for (const alert of action.link) await this.command('link-alert', { incidentId, ...alert });
    return { incidentId, action: reply.created ? 'declared' : 'linked' };
  }

  private async command(name: string, payload: unknown): Promise<Extract<IncidentCommandReply, { ok: true }>> {
    const h = natsHeaders();
    h.set(IncidentCommandAuthHeader, `Bearer ${this.options.apiKey}`);
    const msg = await this.nc.request(`${this.options.commandPrefix}.${name}`, JSON.stringify(payload), { timeout: this.options.timeoutMs, headers: h });
    const parsed = IncidentCommandReplySchema.safeParse(msg.json());
    if (!parsed.success) throw new IncidentCommandError(`incident ${name}: unexpected reply`);
    if (!parsed.data.ok) throw new IncidentCommandError(`incident ${name} refused (${parsed.data.error.status} ${parsed.data.error.code}): ${parsed.data.error.message}`);
    return parsed.data;
  }
}
