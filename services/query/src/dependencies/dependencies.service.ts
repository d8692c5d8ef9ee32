import { Injectable } from '@nestjs/common';
import { PromQLQueryService, type QueryCaller } from '../query/promql-query.service';
import { dependencyExpressions } from './dependency-expressions';
import { buildDependencyGraph, edgeKey, type EdgeValues, type HealthThresholds } from './dependency-graph';

interface VectorEntry {
  metric: Record<string, string>;
  value: [number, string];
}

/** `/api/v1/dependencies`: three instant queries (rate, errors, p99 per caller→callee) turned into the health graph. */
@Injectable()
export class DependenciesService {
  constructor(private readonly queries: PromQLQueryService) {}

  async graph(window: string, time: number, thresholds: HealthThresholds, caller: QueryCaller) {
    const expressions = dependencyExpressions(window);
    const run = async (query: string): Promise<EdgeValues> => {
      const answer = await this.queries.instant({ query, time, resolution: 'auto' }, caller);
      const values: EdgeValues = new Map();
      for (const entry of answer.data.result as VectorEntry[]) {
        const { service, peer_service: peer } = entry.metric;
        if (service && peer) values.set(edgeKey(service, peer), Number(entry.value[1]));
      }
      return values;
    };
    const [rates, errors, p99s] = await Promise.all([run(expressions.requestRate), run(expressions.errorRate), run(expressions.p99Seconds)]);
    return { window, time: time / 1000, thresholds, expressions, ...buildDependencyGraph(rates, errors, p99s, thresholds) };
  }
}
