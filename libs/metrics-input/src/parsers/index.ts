export { parseJsonBatch } from './json-batch.parser';
export { parseInfluxLines, type InfluxPrecision } from './influx-line.parser';
export { parseRemoteWrite, DEFAULT_MAX_DECODED_BYTES, type RemoteWriteOptions } from './remote-write.parser';
export { RemoteWriteDecodeCache } from './remote-write.cache';
export {
  encodeRemoteWriteBody,
  encodeWriteRequest,
  type EncodedWriteRequest,
  type EncodedTimeSeries,
  type EncodedMetadata,
} from './remote-write.encoder';
export {
  InputErrorReasonSchema,
  INPUT_ERROR_REASONS,
  MAX_ERROR_INPUT_CHARS,
  type InputErrorReason,
  type InputError,
  type ParseResult,
  type MetricFamilyMetadata,
} from './input-error';
