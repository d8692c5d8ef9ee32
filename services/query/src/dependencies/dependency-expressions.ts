/**
 * The PromQL behind `/api/v1/dependencies`, so the same numbers can be graphed and alerted on. Edges come from
 * client-side request metrics labelled with the caller and the callee:
 *
 * - Vigil's convention: `rpc_client_requests_total{service, peer_service, outcome="success"|"error"}` and
 *   `rpc_client_duration_seconds_bucket{service, peer_service, le}`;
 * - OpenTelemetry's service-graph metrics (the collector's servicegraph connector, Tempo's metrics generator):
 *   `traces_service_graph_request_total{client, server}`, `traces_service_graph_request_failed_total{client, server}`,
 *   `traces_service_graph_request_server_seconds_bucket{client, server, le}`.
 */
const otel = (expr: string) => `label_replace(label_replace(${expr}, "service", "$1", "client", "(.+)"), "peer_service", "$1", "server", "(.+)")`;
const EDGE = 'service, peer_service';

export function dependencyExpressions(window: string) {
  const w = `[${window}]`;
  return {
    requestRate: `sum by (${EDGE}) (rate(rpc_client_requests_total${w})) or sum by (${EDGE}) (${otel(`sum by (client, server) (rate(traces_service_graph_request_total${w}))`)})`,
    errorRate: `sum by (${EDGE}) (rate(rpc_client_requests_total{outcome="error"}${w})) or sum by (${EDGE}) (${otel(`sum by (client, server) (rate(traces_service_graph_request_failed_total${w}))`)})`,
    p99Seconds:
      `histogram_quantile(0.99, sum by (${EDGE}, le) (rate(rpc_client_duration_seconds_bucket${w})))` +
      ` or histogram_quantile(0.99, sum by (${EDGE}, le) (${otel(`sum by (client, server, le) (rate(traces_service_graph_request_server_seconds_bucket${w}))`)}))`,
  };
}
export type DependencyExpressions = ReturnType<typeof dependencyExpressions>;
