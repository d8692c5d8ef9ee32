import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
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
import { ApiErrorResponses, ApiZodBody, ApiZodQuery, ApiZodResponse, BEARER_SCHEME, openApiSchemaOf } from '../docs/zod-openapi';
import { toIncidentResource, toTimelineResource } from './incident-resource';
import { CommandResultSchema, IncidentListSchema, IncidentResourceSchema, TimelineResourceSchema } from './incident-resource.schema';

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

/** OpenAPI for a command route: operation, incident id, body schema (if any), the command result and its errors. */
const ApiCommand = (operationId: string, summary: string, status: 200 | 201, body?: z.ZodType) =>
  applyDecorators(
    ApiOperation({ operationId, summary }),
    ApiParam({ name: 'id', description: 'Incident id', schema: openApiSchemaOf(IncidentIdSchema) }),
    body ? ApiZodBody(body) : ApiZodBody(EmptyBodySchema, { required: false, description: 'None, empty, or `{}`' }),
    ApiZodResponse(status, CommandResultSchema, 'The incident after the command, with the events it produced'),
    ApiErrorResponses(400, 401, 403, 404, 409, 422),
  );

/** REST for teams. Thin: authenticate, validate, run one command, map the result. */
@Controller('api/v1/incidents')
@UseGuards(ApiKeyGuard)
@ApiTags('incidents')
@ApiBearerAuth(BEARER_SCHEME)
export class IncidentsController {
  constructor(
    private readonly commands: IncidentCommandService,
    private readonly readModels: IncidentReadModelRepository,
  ) {}

  /** Optional `Idempotency-Key` header: a retried declare returns the incident it created (200) instead of a second one. */
  @Post()
  @ApiOperation({ operationId: 'declareIncident', summary: 'Declare an incident; the declarer is the first IC unless "commander" is given' })
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retry with the same key returns the incident it created (200) instead of a second one', schema: openApiSchemaOf(IdempotencyKeySchema) })
  @ApiZodBody(DeclareIncidentBodySchema)
  @ApiZodResponse(201, CommandResultSchema, 'Declared')
  @ApiZodResponse(200, CommandResultSchema, 'A retry with the same Idempotency-Key: the incident it declared before')
  @ApiErrorResponses(400, 401)
  async declare(@Body() body: unknown, @CurrentActor() actor: Actor, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const data = parseWith(DeclareIncidentBodySchema, body);
    const idempotencyKey = key === undefined ? undefined : parseWith(IdempotencyKeySchema, key, 'Idempotency-Key header');
    const result = await this.commands.declare({ type: 'DeclareIncident', data: { ...data, idempotencyKey } }, { actor });
    reply.status(result.created ? 201 : 200);
    return this.resource(result);
  }

  @Get()
  @ApiOperation({ operationId: 'listIncidents', summary: 'List incidents, newest first' })
  @ApiZodQuery(ListQuerySchema, {
    since: 'Declared at or after: milliseconds since the epoch or ISO 8601',
    until: 'Declared at or before: milliseconds since the epoch or ISO 8601',
  })
  @ApiZodResponse(200, IncidentListSchema, 'Matching incidents')
  @ApiErrorResponses(400, 401)
  async list(@Query() query: unknown) {
    const filter = parseWith(ListQuerySchema, query, 'query');
    const views = await this.readModels.list(filter);
    return { incidents: views.map((v) => toIncidentResource(v, v.sequence)) };
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getIncident', summary: 'Get an incident (read model; trails the stream by milliseconds)' })
  @ApiParam({ name: 'id', description: 'Incident id', schema: openApiSchemaOf(IncidentIdSchema) })
  @ApiZodResponse(200, IncidentResourceSchema, 'The incident')
  @ApiErrorResponses(400, 401, 404)
  async get(@Param('id') id: string) {
    const view = await this.view(id);
    return toIncidentResource(view, view.sequence);
  }

  @Get(':id/timeline')
  @ApiOperation({ operationId: 'getIncidentTimeline', summary: 'Timeline: every decision event and note' })
  @ApiParam({ name: 'id', description: 'Incident id', schema: openApiSchemaOf(IncidentIdSchema) })
  @ApiZodResponse(200, TimelineResourceSchema, 'The timeline')
  @ApiErrorResponses(400, 401, 404)
  async timeline(@Param('id') id: string) {
    return toTimelineResource(await this.view(id));
  }

  @Post(':id/commander')
  @HttpCode(200)
  @ApiCommand('transferCommand', 'Transfer command (current IC or admin)', 200, TransferCommandBodySchema)
  transfer(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'TransferCommand', data: parseWith(TransferCommandBodySchema, body) });
  }

  @Post(':id/roles')
  @HttpCode(200)
  @ApiCommand('assignRole', 'Assign a role (IC only)', 200, AssignRoleBodySchema)
  assignRole(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'AssignRole', data: parseWith(AssignRoleBodySchema, body) });
  }

  @Post(':id/responders')
  @HttpCode(200)
  @ApiCommand('joinIncident', 'Join as responder', 200)
  join(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    parseWith(EmptyBodySchema, body);
    return this.run(id, actor, { type: 'JoinAsResponder' });
  }

  @Post(':id/sitreps')
  @HttpCode(201)
  @ApiCommand('postSitrep', 'Publish a situation report (IC only)', 201, SitrepBodyInputSchema)
  sitrep(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'PostSitrep', data: parseWith(SitrepBodyInputSchema, body) });
  }

  @Post(':id/notes')
  @HttpCode(201)
  @ApiCommand('addNote', 'Add a timeline note (responders and admins)', 201, NoteBodySchema)
  note(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'AddNote', data: parseWith(NoteBodySchema, body) });
  }

  @Post(':id/customer-updates')
  @HttpCode(201)
  @ApiCommand('postCustomerUpdate', 'Post a customer update (IC or communications lead); the only thing the status page and customers see', 201, CustomerUpdateBodySchema)
  customerUpdate(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'PostCustomerUpdate', data: parseWith(CustomerUpdateBodySchema, body) });
  }

  @Post(':id/severity')
  @HttpCode(200)
  @ApiCommand('changeSeverity', 'Change severity (IC only)', 200, SeverityBodySchema)
  severity(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'ChangeSeverity', data: parseWith(SeverityBodySchema, body) });
  }

  @Post(':id/status')
  @HttpCode(200)
  @ApiCommand('changeStatus', 'Change status (IC only); "resolved" resolves', 200, StatusBodySchema)
  status(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.run(id, actor, { type: 'ChangeStatus', data: parseWith(StatusBodySchema, body) });
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiCommand('resolveIncident', 'Resolve; opens the postmortem record (IC only)', 200)
  resolve(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    parseWith(EmptyBodySchema, body);
    return this.run(id, actor, { type: 'ResolveIncident' });
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiCommand('reopenIncident', 'Reopen (last IC or admin)', 200)
  reopen(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    parseWith(EmptyBodySchema, body);
    return this.run(id, actor, { type: 'ReopenIncident' });
  }

  @Post(':id/alerts')
  @HttpCode(200)
  @ApiCommand('linkAlert', 'Link an alert (repeats link once)', 200, LinkAlertBodySchema)
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
