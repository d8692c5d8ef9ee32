import { Match, type MsgHdrs, type NatsConnection } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import { z } from 'zod';
import { IncidentCommandAuthHeader, IncidentNatsCommandSchemas, QueueGroups, type Actor, type IncidentCommandReply } from '@vigil/contracts';
import { describeZodError, NatsRequestServer, toErrorReply, VigilError } from '@vigil/platform';
import type { ApiKeys } from '../auth/api-keys';
import { resolveBearer } from '../auth/authenticator';
import type { CommandInput, IncidentCommandService } from '../incidents/incident-command.service';

type NatsCommandName = keyof typeof IncidentNatsCommandSchemas;
type Payload<N extends NatsCommandName> = z.infer<(typeof IncidentNatsCommandSchemas)[N]>;

/**
 * `incident.v1.cmd.<command>` request/reply, one queue group across instances. No logic: authenticate, validate,
 * execute, reply. The actor is whoever the `Authorization: Bearer <api key>` message header resolves to in the API
 * keys file (as for REST); a payload that names an actor itself is refused.
 */
export class IncidentCommandHandler {
  private readonly server: NatsRequestServer;

  constructor(
    nc: NatsConnection,
    private readonly commands: IncidentCommandService,
    private readonly subjectPrefix: string,
    private readonly logger: Logger,
    private readonly apiKeys: ApiKeys,
  ) {
    this.server = new NatsRequestServer(nc, logger);
  }

  start(): void {
    this.server.serve({
      subject: `${this.subjectPrefix}.*`,
      queue: QueueGroups.incident,
      handle: (msg) => this.handle(msg.subject.slice(this.subjectPrefix.length + 1), msg.data, msg.headers),
      // handle() answers every error itself; this is the last resort.
      onError: (error) => toErrorReply(error),
    });
  }

  /** Stops taking commands; commands being executed still get their answer. */
  stop(): Promise<void> {
    return this.server.stop();
  }

  async handle(name: string, data: Uint8Array, headers?: MsgHdrs): Promise<IncidentCommandReply> {
    try {
      if (!Object.prototype.hasOwnProperty.call(IncidentNatsCommandSchemas, name)) {
        throw new VigilError('not_found', 'unknown_command', `unknown command "${name}"; known: ${Object.keys(IncidentNatsCommandSchemas).join(', ')}`);
      }
      const command = name as NatsCommandName;
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(data));
      } catch {
        throw new VigilError('invalid', 'invalid_request', 'request body is not JSON');
      }
      if (json !== null && typeof json === 'object' && Object.prototype.hasOwnProperty.call(json, 'actor')) {
        throw new VigilError(
          'invalid',
          'actor_in_payload',
          `the payload must not carry "actor": the identity comes from the Authorization header (NATS message header "${IncidentCommandAuthHeader}: Bearer <api key>")`,
        );
      }
      const actor = resolveBearer(this.apiKeys, headers?.values(IncidentCommandAuthHeader, Match.IgnoreCase));
      const parsed = IncidentNatsCommandSchemas[command].safeParse(json);
      if (!parsed.success) throw new VigilError('invalid', 'invalid_request', `invalid ${name} command: ${describeZodError(parsed.error)}`);
      return await this.dispatch(command, parsed.data, actor);
    } catch (error) {
      const reply = toErrorReply(error);
      if (reply.error.status >= 500) this.logger.error({ err: error, command: name }, 'command failed');
      return reply;
    }
  }

  private async dispatch(name: NatsCommandName, payload: Payload<NatsCommandName>, actor: Actor): Promise<IncidentCommandReply> {
    if (name === 'declare') {
      const { alert, dedupKey, ...data } = payload as Payload<'declare'>;
      const command = { type: 'DeclareIncident' as const, data };
      const declared = dedupKey ? await this.commands.declareDeduplicated(dedupKey, command, { actor }) : await this.commands.declare(command, { actor });
      const events = declared.events.map((e) => e.type);
      if (alert) {
        const linked = await this.commands.execute(declared.incidentId, { type: 'LinkAlert', data: alert }, { actor });
        events.push(...linked.events.map((e) => e.type));
      }
      return { ok: true, incidentId: declared.incidentId, created: declared.created, events };
    }
    const { incidentId, ...rest } = payload as Payload<'add-note'>;
    const result = await this.commands.execute(incidentId, toCommand(name, rest), { actor });
    return { ok: true, incidentId, events: result.events.map((e) => e.type) };
  }
}

function toCommand(name: Exclude<NatsCommandName, 'declare'>, data: Record<string, unknown>): CommandInput {
  switch (name) {
    case 'transfer-command':
      return { type: 'TransferCommand', data: data as { to: string } };
    case 'assign-role':
      return { type: 'AssignRole', data: data as Payload<'assign-role'> };
    case 'join':
      return { type: 'JoinAsResponder' };
    case 'post-sitrep':
      return { type: 'PostSitrep', data: data as Payload<'post-sitrep'> };
    case 'add-note':
      return { type: 'AddNote', data: data as Payload<'add-note'> };
    case 'post-customer-update':
      return { type: 'PostCustomerUpdate', data: data as Payload<'post-customer-update'> };
    case 'change-severity':
      return { type: 'ChangeSeverity', data: data as Payload<'change-severity'> };
    case 'change-status':
      return { type: 'ChangeStatus', data: data as Payload<'change-status'> };
    case 'link-alert':
      return { type: 'LinkAlert', data: data as Payload<'link-alert'> };
    case 'resolve':
      return { type: 'ResolveIncident' };
    case 'reopen':
      return { type: 'ReopenIncident' };
    default: {
      const unreachable: never = name;
      throw new Error(`unmapped command ${String(unreachable)}`);
    }
  }
}
