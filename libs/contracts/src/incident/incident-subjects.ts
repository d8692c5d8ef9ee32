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
