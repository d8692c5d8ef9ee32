import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  AssignRoleBodySchema,
  CustomerUpdateBodySchema,
  DeclareIncidentBodySchema,
  EmptyBodySchema,
  IncidentIdSchema,
  IncidentStatusSchema,
  LinkAlertBodySchema,
  NoteBodySchema,
  SeverityBodySchema,
  SeveritySchema,
  SitrepBodyInputSchema,
  StatusBodySchema,
  TransferCommandBodySchema,
  type Actor,
} from '@vigil/contracts';
import { parseWith } from '@vigil/platform';
import { ApiKeyGuard, CurrentActor } from '../auth/api-key.guard';
import { IncidentNotFoundError } from '../incidents/domain-error';
import { IncidentCommandService, type CommandInput, type CommandResult } from '../incidents/incident-command.service';
import { IncidentReadModelRepository } from '../projections/incident-read-model.repository';
import { toIncidentResource, toTimelineResource } from './incident-resource';

const time = z.union([z.coerce.number().int(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);
const IdempotencyKeySchema = z.string().trim().min(1).max(500);
const ListQuerySchema = z.object({
  status: IncidentStatusSchema.optional(),
  severity: SeveritySchema.optional(),
  component: z.string().optional(),
  since: time.optional(),
  until: time.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** REST for teams. Thin: authenticate, validate, run one command, map the result. */
@Controller('api/v1/incidents')
@UseGuards(ApiKeyGuard)
export class IncidentsController {
  constructor(
    private readonly commands: IncidentCommandService,
    private readonly readModels: IncidentReadModelRepository,
  ) {}

  /** Optional `Idempotency-Key` header: a retried declare returns the incident it created (200) instead of a second one. */
  @Post()
  async declare(@Body() body: unknown, @CurrentActor() actor: Actor, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = parseWith(DeclareIncidentBodySchema, body);
    const idempotencyKey = key === undefined ? undefined : parseWith(IdempotencyKeySchema, key, 'Idempotency-Key header');
    const result = await this.commands.declare({ type: 'DeclareIncident', data: { ...data, idempotencyKey } }, { actor });
    reply.status(result.created ? 201 : 200);
    return this.resource(result);
  }

  @Get()
  async list(@Query() query: unknown) {
    const filter = parseWith(ListQuerySchema, query, 'query');
    const views = await this.readModels.list(filter);
    return { incidents: views.map((v) => toIncidentResource(v, v.sequence)) };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const view = await this.view(id);
    return toIncidentResource(view, view.sequence);
  }

  @Get(':id/timeline')
  async timeline(@Param('id') id: string) {
    return toTimelineResource(await this.view(id));
  }

  @Post(':id/commander')
  @HttpCode(200)
  transfer(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'TransferCommand', data: parseWith(TransferCommandBodySchema, body) });
  }

  @Post(':id/roles')
  @HttpCode(200)
  assignRole(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'AssignRole', data: parseWith(AssignRoleBodySchema, body) });
  }

  @Post(':id/responders')
  @HttpCode(200)
  join(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    parseWith(EmptyBodySchema, body);
    return this.run(id, actor, { type: 'JoinAsResponder' });
  }

  @Post(':id/sitreps')
  @HttpCode(201)
  sitrep(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'PostSitrep', data: parseWith(SitrepBodyInputSchema, body) });
  }

  @Post(':id/notes')
  @HttpCode(201)
  note(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'AddNote', data: parseWith(NoteBodySchema, body) });
  }

  @Post(':id/customer-updates')
  @HttpCode(201)
  customerUpdate(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'PostCustomerUpdate', data: parseWith(CustomerUpdateBodySchema, body) });
  }

  @Post(':id/severity')
  @HttpCode(200)
  severity(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'ChangeSeverity', data: parseWith(SeverityBodySchema, body) });
  }

  @Post(':id/status')
  @HttpCode(200)
  status(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'ChangeStatus', data: parseWith(StatusBodySchema, body) });
  }

  @Post(':id/resolve')
  @HttpCode(200)
  resolve(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    parseWith(EmptyBodySchema, body);
    return this.run(id, actor, { type: 'ResolveIncident' });
  }

  @Post(':id/reopen')
  @HttpCode(200)
  reopen(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    parseWith(EmptyBodySchema, body);
    return this.run(id, actor, { type: 'ReopenIncident' });
  }

  @Post(':id/alerts')
  @HttpCode(200)
  linkAlert(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'LinkAlert', data: parseWith(LinkAlertBodySchema, body) });
  }

  private async run(id: string, actor: Actor, command: CommandInput) {
    const result = await this.commands.execute(parseWith(IncidentIdSchema, id, 'incident id'), command, { actor });
    return this.resource(result);
  }

  private resource(result: CommandResult) {
    if (result.state.kind === 'none') throw new IncidentNotFoundError(result.incidentId);
    const sequence = result.events.at(-1)?.sequence ?? null;
    return { ...toIncidentResource(result.state, sequence), events: result.events.map((e) => ({ id: e.id, type: e.type })) };
  }

  private async view(id: string) {
    const incidentId = parseWith(IncidentIdSchema, id, 'incident id');
    const view = await this.readModels.get(incidentId);
    if (!view) throw new IncidentNotFoundError(incidentId);
    return view;
  }
}
