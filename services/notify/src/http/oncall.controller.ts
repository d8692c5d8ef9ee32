import { Controller, Get, Inject, Query } from '@nestjs/common';
import { parseWith } from '@vigil/platform';
import { z } from 'zod';
import type { Directory } from '../directory/directory';
import { DIRECTORY } from '../notify.tokens';

/** `at` as RFC 3339 or Unix seconds (as Prometheus' API takes times); default now. */
const OnCallQuerySchema = z
  .object({
    at: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === '') return Date.now();
        const t = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
        if (!Number.isFinite(t)) {
          ctx.addIssue({ code: 'custom', message: `"${v}" is neither RFC 3339 nor Unix seconds` });
          return z.NEVER;
        }
        return t;
      }),
  })
  .strict();

/** Who is on call: `GET /api/v1/oncall?at=` — every schedule's person and shift, and whom every team pages. */
@Controller('api/v1')
export class OnCallController {
  constructor(@Inject(DIRECTORY) private readonly directory: Directory) {}

  @Get('oncall')
  onCall(@Query() query: unknown) {
    const { at } = parseWith(OnCallQuerySchema, query, 'query');
    const answer = this.directory.onCall(at);
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      at: iso(at),
      schedules: answer.schedules.map((s) => ({ ...s, onCall: s.onCall ? { ...s.onCall, since: iso(s.onCall.since), until: iso(s.onCall.until) } : null })),
      teams: answer.teams,
    };
  }
}
