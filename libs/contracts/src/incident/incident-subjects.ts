/**
 * Incident-side names that are not in the shared Subjects table (which stays owned by the workspace).
 * The event subject prefix and stream are configurable so tests and benchmarks never share them with a dev instance.
 */
export const IncidentNames = {
  stream: 'INCIDENTS',
  eventSubjectPrefix: 'incident.events',
  commandSubjectPrefix: 'incident.v1.cmd',
} as const;

/** Commands accepted on `incident.v1.cmd.<command>` (request/reply). */
export const IncidentCommandNames = [
  'declare',
  'transfer-command',
  'assign-role',
  'join',
  'post-sitrep',
  'add-note',
  'post-customer-update',
  'change-severity',
  'change-status',
  'link-alert',
  'resolve',
  'reopen',
] as const;
export type IncidentCommandName = (typeof IncidentCommandNames)[number];
