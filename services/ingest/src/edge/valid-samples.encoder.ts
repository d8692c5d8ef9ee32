import type { MetricType, Sample } from '@vigil/contracts';
import { encodeRemoteWriteBody, type EncodedMetadata, type EncodedTimeSeries } from '@vigil/metrics-input';

const METADATA_TYPE_NUMBERS: Record<MetricType, number> = { untyped: 0, counter: 1, gauge: 2, histogram: 3, summary: 5 };

/**
 * The valid part of a partly rejected request, re-encoded for the WAL. JSON for JSON/Influx input;
 * remote write stays remote write, because only that format carries Prometheus' staleness NaN bit for bit.
 */
export function encodeValidSamplesJson(samples: Sample[]): Buffer {
  return Buffer.from(JSON.stringify({ samples: samples.map(({ name, labels, value, timestamp, metadata }) => ({ name, labels, value, timestamp, ...metadata })) }));
}

export function encodeValidSamplesRemoteWrite(samples: Sample[]): Buffer {
  const series = new Map<string, EncodedTimeSeries>();
  const metadata = new Map<string, EncodedMetadata>();
  for (const sample of samples) {
    const key = JSON.stringify([sample.name, sample.labels]);
    let entry = series.get(key);
    if (!entry) {
      const labels = [{ name: '__name__', value: sample.name }, ...Object.entries(sample.labels).map(([name, value]) => ({ name, value }))];
      entry = { labels, samples: [] };
      series.set(key, entry);
    }
    entry.samples.push({ value: sample.value, timestamp: sample.timestamp });
    if (sample.metadata?.type && !metadata.has(sample.name)) {
      metadata.set(sample.name, {
        type: METADATA_TYPE_NUMBERS[sample.metadata.type],
        metricFamilyName: sample.name,
        help: sample.metadata.help,
        unit: sample.metadata.unit,
      });
    }
  }
  return encodeRemoteWriteBody({ timeseries: [...series.values()], metadata: [...metadata.values()] });
}
