import { loadConfig } from '@vigil/platform';
import { IncidentEnvSchema } from './incident-config';

describe('incident config', () => {
  it('defaults: port 9094, INCIDENTS stream, issue cadence', () => {
    const config = loadConfig(IncidentEnvSchema, {});
    expect(config).toMatchObject({ INCIDENT_PORT: 9094, INCIDENT_STREAM: 'INCIDENTS', INCIDENT_EVENT_SUBJECT_PREFIX: 'incident.events', INCIDENT_COMMAND_SUBJECT_PREFIX: 'incident.v1.cmd' });
    expect(config.INCIDENT_SITREP_CADENCE).toEqual({ SEV1: 30, SEV2: 60, SEV3: 240, SEV4: null });
  });
  it('parses a configured cadence, 0 meaning none', () => {
    expect(loadConfig(IncidentEnvSchema, { INCIDENT_SITREP_CADENCE: 'SEV1=15,SEV3=0' }).INCIDENT_SITREP_CADENCE).toEqual({ SEV1: 15, SEV2: 60, SEV3: null, SEV4: null });
  });
  it('names bad variables', () => {
    expect(() => loadConfig(IncidentEnvSchema, { INCIDENT_SITREP_CADENCE: 'SEV1=soon' })).toThrow(/INCIDENT_SITREP_CADENCE: "SEV1=soon" is not SEVn=<minutes>/);
    expect(() => loadConfig(IncidentEnvSchema, { INCIDENT_EVENT_SUBJECT_PREFIX: 'a.>.b' })).toThrow(/INCIDENT_EVENT_SUBJECT_PREFIX/);
  });
});
