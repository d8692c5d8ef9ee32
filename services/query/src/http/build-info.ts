/**
 * `/api/v1/status/buildinfo`: a Prometheus-like version, so tools pick the Prometheus 3 feature set our engine
 * implements. Deliberately no `features` field (Grafana would take us for Mimir and call its ruler API).
 */
export const BUILD_INFO = {
  version: '3.5.0',
  revision: 'vigil-query',
  branch: 'vigil',
  buildUser: 'vigil',
  buildDate: '20261203-00:00:00',
  goVersion: `node${process.versions.node}`,
} as const;
