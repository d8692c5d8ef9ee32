import type { PositionRange } from './ast';

/** Prometheus' `line:col` of an offset (1-based), as printed in front of parse errors and annotations. */
export function positionText(query: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < query.length; i++) {
    if (query[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return `${line}:${col}`;
}

/** A syntax or type error, rendered like Prometheus' ParseErr: `1:14: parse error: unexpected ...`. */
export class PromQLParseError extends Error {
  constructor(
    readonly query: string,
    readonly pos: PositionRange,
    readonly detail: string,
  ) {
    super(`${positionText(query, pos.start)}: parse error: ${detail}`);
    this.name = 'PromQLParseError';
  }
}
