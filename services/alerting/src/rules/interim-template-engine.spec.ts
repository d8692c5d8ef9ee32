import { InterimTemplateEngine } from './interim-template-engine';
import { ALERT_TEMPLATE_DEFS } from './rule-templates';

const engine = new InterimTemplateEngine();
const data = { labels: { instance: 'a:1', job: 'api' }, externalLabels: { cluster: 'eu1' }, externalURL: 'http://vigil', value: 1500000 };
const expand = (text: string) => engine.expand(ALERT_TEMPLATE_DEFS + text, '__alert_X', data, 0);

describe('interim template engine', () => {
  it('expands the variables rules use', () => {
    expect(expand('{{ $labels.instance }} of {{ .Labels.job }} in {{ $externalLabels.cluster }}: {{ $value }} ({{ $externalURL }}) {{ $labels.missing }}.')).toBe(
      'a:1 of api in eu1: 1.5e+06 (http://vigil) .',
    );
    expect(expand('a  {{- /* trimmed */ -}}  b {{ $x := $labels.job }}{{ $x }}')).toBe('ab api');
  });

  it('reports parse errors as Go does', () => {
    expect(engine.check(`${ALERT_TEMPLATE_DEFS}{{ $label.foo }}`, '__alert_X')).toBe('template: __alert_X:1: undefined variable "$label"');
    expect(engine.check(`${ALERT_TEMPLATE_DEFS}line\n{{ $labels.x `, '__alert_X')).toBe('template: __alert_X:2: unclosed action');
    expect(engine.check(`${ALERT_TEMPLATE_DEFS}{{ nope $value }}`, '__alert_X')).toBe('template: __alert_X:1: function "nope" not defined');
    expect(engine.check(`${ALERT_TEMPLATE_DEFS}{{ humanize $value }}`, '__alert_X')).toBeNull();
  });

  it('expands what it cannot run to an error text instead of throwing', () => {
    expect(expand('{{ humanize $value }}')).toMatch(/^<error expanding template: /);
  });
});
