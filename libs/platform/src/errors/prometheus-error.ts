import type { ErrorBodyFormatter } from './http-error.filter';
import { VigilError, type ErrorKind } from './vigil-error';

/** Prometheus' `errorType`s (web/api/v1), each with the HTTP status Prometheus answers it with. */
export type PrometheusErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'unavailable' | 'not_found' | 'unauthorized';

const KIND: Record<PrometheusErrorType, ErrorKind> = {
  bad_data: 'invalid',
  execution: 'unprocessable',
  timeout: 'timeout',
  canceled: 'canceled',
  internal: 'internal',
  unavailable: 'unavailable',
  not_found: 'not_found',
  unauthorized: 'unauthorized',
};

/** An error in Prometheus' terms; `code` is the errorType. */
export class PrometheusApiError extends VigilError {
  constructor(
    readonly errorType: PrometheusErrorType,
    message: string,
  ) {
    super(KIND[errorType], errorType, message);
    this.name = 'PrometheusApiError';
  }
}

export const badData = (message: string) => new PrometheusApiError('bad_data', message);

const TYPE_BY_KIND: Partial<Record<ErrorKind, PrometheusErrorType>> = {
  invalid: 'bad_data',
  payload_too_large: 'bad_data',
  unsupported_media_type: 'bad_data',
  unprocessable: 'execution',
  timeout: 'timeout',
  canceled: 'canceled',
  unavailable: 'unavailable',
  not_found: 'not_found',
  unauthorized: 'unauthorized',
  rate_limited: 'unavailable',
};

/** `{"status":"error","errorType":…,"error":…}`, the body Grafana and promtool expect. */
export const prometheusErrorBody: ErrorBodyFormatter = ({ kind, code, message }) => ({
  status: 'error',
  errorType: (Object.keys(KIND) as string[]).includes(code) ? code : (TYPE_BY_KIND[kind] ?? 'internal'),
  error: message,
});
