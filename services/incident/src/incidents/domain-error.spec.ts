import { describeError, toErrorReply, VigilError } from '@vigil/platform';
import { ConcurrentModificationError } from './incident-command.service';
import { IncidentNotFoundError, InvalidTransitionError, RoleViolationError, UnprocessableCommandError } from './domain-error';

describe('incident domain errors on the shared error model', () => {
  it.each([
    [new IncidentNotFoundError('inc_1'), 404, 'incident_not_found', 'incident inc_1 does not exist'],
    [new RoleViolationError('only_commander_posts_sitreps', 'only the IC may'), 403, 'only_commander_posts_sitreps', 'only the IC may'],
    [new InvalidTransitionError('incident_resolved', 'resolved'), 409, 'incident_resolved', 'resolved'],
    [new ConcurrentModificationError('inc_1', 8), 409, 'concurrent_modification', expect.stringMatching(/kept changing under 8 attempts/)],
    [new UnprocessableCommandError('severity_unchanged', 'severity is already SEV1'), 422, 'severity_unchanged', 'severity is already SEV1'],
  ])('%s → %d %s, over HTTP and NATS alike', (error, status, code, message) => {
    expect(error).toBeInstanceOf(VigilError);
    expect(describeError(error)).toMatchObject({ status, code, message });
    expect(toErrorReply(error)).toEqual({ ok: false, error: { status, code, message } });
  });
});
