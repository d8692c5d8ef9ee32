import type { FastifyRequest } from 'fastify';

/**
 * A request's parameters as Go's `r.Form` holds them: form-body values first, then the URL's, every value of a
 * repeated key (`match[]`) kept. Grafana POSTs `application/x-www-form-urlencoded` bodies by default.
 */
export class RequestParams {
  constructor(private readonly sources: URLSearchParams[]) {}

  static of(request: FastifyRequest): RequestParams {
    const q = request.url.indexOf('?');
    const url = new URLSearchParams(q === -1 ? '' : request.url.slice(q + 1));
    return new RequestParams(request.body instanceof URLSearchParams ? [request.body, url] : [url]);
  }

  get(name: string): string | undefined {
    for (const source of this.sources) {
      const value = source.get(name);
      if (value !== null) return value;
    }
    return undefined;
  }

  getAll(name: string): string[] {
    return this.sources.flatMap((source) => source.getAll(name));
  }
}
