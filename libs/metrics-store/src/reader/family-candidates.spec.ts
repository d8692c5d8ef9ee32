import { familyCandidates } from './metrics-reader';

describe('familyCandidates', () => {
  it('lists the series name first, then names with one family suffix removed', () => {
    expect(familyCandidates('rd_bucket')).toEqual(['rd_bucket', 'rd']);
    expect(familyCandidates('http_requests_total')).toEqual(['http_requests_total', 'http_requests']);
    expect(familyCandidates('up')).toEqual(['up']);
  });

  it('never yields an empty name for a series named like a bare suffix', () => {
    expect(familyCandidates('_count')).toEqual(['_count']);
  });
});
