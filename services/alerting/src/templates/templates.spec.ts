import { expandTemplate, parseTemplate, TemplateError, tryExpandTemplate, type AlertTemplateData, type ExpandOptions } from './index';
import { ALERT_TEMPLATE_PRELUDE } from './expand';

const data: AlertTemplateData = {
  labels: { alertname: 'InstanceDown', instance: 'node-1.example.com:9100', job: 'node', severity: 'critical' },
  value: 0.25,
  externalLabels: { cluster: 'eu-1' },
  externalURL: 'https://prometheus.example.com/prom',
};
const NAME = '__alert_InstanceDown';
const options: ExpandOptions = { name: NAME, now: () => 1435065584128 };
const PRELUDE_COLS = ALERT_TEMPLATE_PRELUDE.length;

const expand = (text: string, over: Partial<AlertTemplateData> = {}, opts: Partial<ExpandOptions> = {}): Promise<string> =>
  expandTemplate(text, { ...data, ...over }, { ...options, ...opts });

/** The error an expansion produced, without the `<error expanding template: …>` frame. */
async function errorOf(text: string, over: Partial<AlertTemplateData> = {}, opts: Partial<ExpandOptions> = {}): Promise<string> {
  const r = await tryExpandTemplate(text, { ...data, ...over }, { ...options, ...opts });
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.text)}`);
  return r.error;
}

describe('alert data and convenience variables', () => {
  it('defines $labels, $value, $externalLabels and $externalURL as Prometheus does', async () => {
    await expect(
      expand('{{ $labels.instance }} of job {{ $labels.job }}: {{ $value }} in {{ $externalLabels.cluster }} ({{ $externalURL }})'),
    ).resolves.toBe('node-1.example.com:9100 of job node: 0.25 in eu-1 (https://prometheus.example.com/prom)');
  });

  it('gives the same values through dot: .Labels, .Value, .ExternalLabels, .ExternalURL', async () => {
    await expect(expand('{{ .Labels.job }} {{ .Value }} {{ .ExternalLabels.cluster }} {{ .ExternalURL }}')).resolves.toBe(
      'node 0.25 eu-1 https://prometheus.example.com/prom',
    );
  });

  it('prints $value like Go prints a float64 (%v)', async () => {
    const cases: [number, string][] = [
      [1e6, '1e+06'],
      [123456, '123456'],
      [0.000012, '1.2e-05'],
      [3, '3'],
      [NaN, 'NaN'],
      [Infinity, '+Inf'],
    ];
    for (const [value, want] of cases) await expect(expand('{{ $value }}', { value })).resolves.toBe(want);
  });

  it('yields "" for a missing label (missingkey=zero), and can index with index', async () => {
    await expect(expand('[{{ $labels.nope }}][{{ index $labels "job" }}][{{ index $labels "nope" }}]')).resolves.toBe('[][node][]');
  });

  it('reports an unknown field of the data as Go does', async () => {
    expect(await errorOf('{{ .Foo }}')).toBe(
      `error executing template ${NAME}: template: ${NAME}:1:${PRELUDE_COLS + 3}: executing "${NAME}" at <.Foo>: can't evaluate field Foo in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }`,
    );
  });

  it('accepts a string value (humanize parses it)', async () => {
    await expect(expand('{{ $value | humanize }}', { value: '12345' })).resolves.toBe('12.35k');
  });
});

describe('actions, trim markers and comments', () => {
  it('trims the spaces next to {{- and -}}', async () => {
    await expect(expand('a  \n {{- "b" -}} \n  c')).resolves.toBe('abc');
    await expect(expand('{{ 3 -}}  x {{- 4 }}')).resolves.toBe('3x4');
  });

  it('reads {{-3}} as the number -3 (a trim marker needs a space)', async () => {
    await expect(expand('{{-3}}')).resolves.toBe('-3');
  });

  it('drops comments, with or without trim markers', async () => {
    await expect(expand('a {{/* a comment */}} b')).resolves.toBe('a  b');
    await expect(expand('a {{- /* a comment */ -}} b')).resolves.toBe('ab');
  });

  it('allows newlines inside actions', async () => {
    await expect(expand('{{ printf "%s-%s"\n  $labels.job\n  "x" }}')).resolves.toBe('node-x');
  });

  it('pipes the previous result as the last argument', async () => {
    await expect(expand('{{ "abc" | printf "%s-%s" "x" }}')).resolves.toBe('x-abc');
    await expect(expand('{{ $value | humanizePercentage }}')).resolves.toBe('25%');
    await expect(expand('{{ (printf "%s" "a") | toUpper }}')).resolves.toBe('A');
  });

  it('evaluates string, raw string, number, bool and char literals', async () => {
    await expect(expand('{{ "a\\tb" }}|{{ `raw\\n` }}|{{ 0x1F }}|{{ 1_000 }}|{{ 1.5e3 }}|{{ true }}|{{ \'a\' }}')).resolves.toBe(
      'a\tb|raw\\n|31|1000|1500|true|97',
    );
  });
});

describe('variables', () => {
  it('declares with := and assigns with =', async () => {
    await expect(expand('{{ $x := 1 }}{{ $x = 2 }}{{ $x }}')).resolves.toBe('2');
  });

  it('assigns inside a range to a variable declared outside it', async () => {
    await expect(expand('{{ $n := 0 }}{{ range $k, $v := $labels }}{{ $n = $k }}{{ end }}{{ $n }}')).resolves.toBe('severity');
  });

  it('scopes a variable to its control structure', () => {
    expect(() => parseTemplate('{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}', NAME)).toThrow(`template: ${NAME}:1: undefined variable "$y"`);
  });

  it('binds $ to the data in every scope', async () => {
    await expect(expand('{{ with $labels }}{{ $.Labels.job }}{{ end }}')).resolves.toBe('node');
  });
});

describe('if, with, range', () => {
  const severity = '{{ if eq $labels.severity "critical" }}C{{ else if eq $labels.severity "warning" }}W{{ else }}O{{ end }}';

  it('chooses with if / else if / else', async () => {
    await expect(expand(severity)).resolves.toBe('C');
    await expect(expand(severity, { labels: { severity: 'warning' } })).resolves.toBe('W');
    await expect(expand(severity, { labels: {} })).resolves.toBe('O');
  });

  it('treats empty strings, 0 and empty maps as false', async () => {
    await expect(expand('{{ if $labels.nope }}y{{ else }}n{{ end }}{{ if 0 }}y{{ else }}n{{ end }}{{ if $externalLabels }}y{{ end }}')).resolves.toBe('nny');
    await expect(expand('{{ if $externalLabels }}y{{ else }}n{{ end }}', { externalLabels: {} })).resolves.toBe('n');
  });

  it('compares $value with a float, not an int (Go rejects mixing them)', async () => {
    await expect(expand('{{ if gt $value 0.2 }}high{{ end }}')).resolves.toBe('high');
    expect(await errorOf('{{ if gt $value 1 }}high{{ end }}')).toContain('error calling gt: incompatible types for comparison');
  });

  it('sets dot with with, and runs else on an empty value', async () => {
    await expect(expand('{{ with $labels.job }}job={{ . }}{{ end }}')).resolves.toBe('job=node');
    await expect(expand('{{ with $labels.nope }}x{{ else }}none{{ end }}')).resolves.toBe('none');
    await expect(expand('{{ with $labels.nope }}x{{ else with $labels.job }}{{ . }}{{ end }}')).resolves.toBe('node');
  });

  it('ranges over a map in key order, with $k, $v', async () => {
    await expect(expand('{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}')).resolves.toBe(
      'alertname=InstanceDown;instance=node-1.example.com:9100;job=node;severity=critical;',
    );
    await expect(expand('{{ range $labels }}{{ . }},{{ end }}')).resolves.toBe('InstanceDown,node-1.example.com:9100,node,critical,');
  });

  it('ranges over query results with an index, else when empty', async () => {
    const query = async (): Promise<{ labels: Record<string, string>; value: number }[]> => [
      { labels: { instance: 'a' }, value: 1 },
      { labels: { instance: 'b' }, value: 2.5 },
    ];
    await expect(expand('{{ range $i, $s := query "up" }}{{ $i }}:{{ $s.Labels.instance }}={{ $s.Value }} {{ end }}', {}, { query })).resolves.toBe(
      '0:a=1 1:b=2.5 ',
    );
    await expect(expand('{{ range query "up" }}x{{ else }}no results{{ end }}', {}, { query: async () => [] })).resolves.toBe('no results');
  });

  it('supports break and continue inside range', async () => {
    await expect(expand('{{ range $k, $v := $labels }}{{ if eq $k "job" }}{{ break }}{{ end }}{{ $k }} {{ end }}')).resolves.toBe('alertname instance ');
    await expect(expand('{{ range $k, $v := $labels }}{{ if eq $k "job" }}{{ continue }}{{ end }}{{ $k }} {{ end }}')).resolves.toBe(
      'alertname instance severity ',
    );
  });

  it('ranges over an integer (Go 1.22)', async () => {
    await expect(expand('{{ range 3 }}{{ . }}{{ end }}')).resolves.toBe('012');
  });
});

describe('define, template, block', () => {
  it('calls a defined template with a new dot', async () => {
    await expect(expand('{{ define "inst" }}<{{ .instance }}>{{ end }}{{ template "inst" $labels }}')).resolves.toBe('<node-1.example.com:9100>');
  });

  it('defines and runs a block in place', async () => {
    await expect(expand('{{ block "b" $labels.job }}[{{ . }}]{{ end }}')).resolves.toBe('[node]');
  });

  it('fails on an undefined template and on runaway recursion', async () => {
    expect(await errorOf('{{ template "nope" }}')).toContain('template "nope" not defined');
    expect(await errorOf('{{ define "r" }}{{ template "r" }}{{ end }}{{ template "r" }}')).toContain('exceeded maximum template depth (1000)');
  });
});

describe("Go's builtin functions", () => {
  it('and / or return an operand and short-circuit', async () => {
    await expect(expand('{{ or 0 "" "x" }}|{{ and 1 0 }}|{{ and 1 "y" }}|{{ or $labels.nope "default" }}')).resolves.toBe('x|0|y|default');
    // The second operand would fail (no query results), but is never evaluated.
    await expect(expand('{{ or true (query "up" | first) }}', {}, { query: async () => [] })).resolves.toBe('true');
  });

  it('not, len, index', async () => {
    await expect(expand('{{ not true }} {{ not "" }} {{ len "héllo" }} {{ len $labels }} {{ index "ab" 1 }}')).resolves.toBe('false true 6 4 98');
    expect(await errorOf('{{ index $labels 1 }}')).toContain('error calling index: value has type int; should be string');
    expect(await errorOf('{{ len 3 }}')).toContain('error calling len: len of type int');
  });

  it('eq, ne, lt, le, gt, ge', async () => {
    await expect(expand('{{ eq 1 2 3 1 }} {{ ne "a" "b" }} {{ lt "a" "b" }} {{ le 2.0 2.0 }} {{ gt 3 2 }} {{ ge 1.5 2.5 }}')).resolves.toBe(
      'true true true true true false',
    );
    expect(await errorOf('{{ lt 1 1.5 }}')).toContain('error calling lt: incompatible types for comparison');
    expect(await errorOf('{{ lt true false }}')).toContain('error calling lt: invalid type for comparison');
  });

  it('print, println, printf', async () => {
    await expect(expand('{{ print 1 2 "a" "b" 3 }}|{{ println "x" 1 }}|{{ printf "%.2f %d%%" $value 5 }}')).resolves.toBe('1 2ab3|x 1\n|0.25 5%');
    await expect(expand('{{ printf "%s" 1.5 }}')).resolves.toBe('%!s(float64=1.5)');
  });

  it('html, js, urlquery', async () => {
    await expect(expand(`{{ html "<a href='x'>&</a>" }}`)).resolves.toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
    await expect(expand(`{{ js "a'b\\"<>=" }}`)).resolves.toBe("a\\'b\\\"\\u003C\\u003E\\u003D");
    await expect(expand('{{ urlquery "a b&c/é" }}')).resolves.toBe('a+b%26c%2F%C3%A9');
  });
});

describe("Prometheus' functions on alert data", () => {
  it('humanize family', async () => {
    await expect(expand('{{ humanize 1234567.0 }} {{ humanize1024 1048576.0 }} {{ humanizeDuration 0.001 }} {{ humanizeDuration 129600.0 }}')).resolves.toBe(
      '1.235M 1Mi 1ms 1d 12h 0m 0s',
    );
    await expect(expand('{{ humanizePercentage 0.1234 }} {{ humanizeTimestamp 1435065584.128 }}')).resolves.toBe(
      '12.34% 2015-06-23 13:19:44.128 +0000 UTC',
    );
  });

  it('reReplaceAll with Go replacement syntax, and Go empty-match rules', async () => {
    await expect(expand('{{ reReplaceAll "(.*):.*" "$1" $labels.instance }}')).resolves.toBe('node-1.example.com');
    await expect(expand('{{ reReplaceAll "(?P<host>[^.]+)\\\\..*" "${host}!" $labels.instance }}')).resolves.toBe('node-1!');
    await expect(expand('{{ reReplaceAll "(a)" "$1x" "a" }}')).resolves.toBe(''); // "$1x" names group "1x"
    await expect(expand('{{ reReplaceAll "a*" "-" "baaac" }}')).resolves.toBe('-b-c-');
  });

  it('match, title, toUpper, toLower, stripPort, stripDomain', async () => {
    await expect(expand('{{ match "^node" $labels.job }} {{ title "hello wORLD foo-bar" }} {{ toUpper "ab" }} {{ toLower "AB" }}')).resolves.toBe(
      'true Hello WORLD Foo-Bar AB ab',
    );
    await expect(expand('{{ $labels.instance | stripPort }} {{ $labels.instance | stripDomain }}')).resolves.toBe('node-1.example.com:9100'.replace(':9100', '') + ' node-1:9100');
    expect(await errorOf('{{ match "(" "x" }}')).toContain('error calling match: error parsing regexp: missing closing ): `(`');
  });

  it('first, label, value, sortByLabel over query results', async () => {
    const query = async (expr: string): Promise<{ labels: Record<string, string>; value: number }[]> =>
      expr === 'up'
        ? [
            { labels: { __name__: 'up', instance: 'b' }, value: 0 },
            { labels: { __name__: 'up', instance: 'a' }, value: 1 },
          ]
        : [];
    await expect(expand('{{ with query "up" }}{{ . | first | label "instance" }}={{ . | first | value }}{{ end }}', {}, { query })).resolves.toBe('b=0');
    await expect(expand('{{ range query "up" | sortByLabel "instance" }}{{ label "instance" . }}{{ end }}', {}, { query })).resolves.toBe('ab');
    await expect(expand(`{{ query "up{instance='$labels.instance'}" | len }}`, {}, { query })).resolves.toBe('0');
  });

  it('args, safeHtml, graphLink, tableLink, pathPrefix, externalURL, urlQueryEscape', async () => {
    await expect(expand('{{ define "t" }}{{ .arg0 }}/{{ .arg1 }}{{ end }}{{ template "t" args "x" 2 }}')).resolves.toBe('x/2');
    await expect(expand('{{ "<b>" | safeHtml }} {{ graphLink "rate(x[5m])" }} {{ tableLink "up" }}')).resolves.toBe(
      '<b> /graph?g0.expr=rate%28x%5B5m%5D%29&g0.tab=0 /graph?g0.expr=up&g0.tab=1',
    );
    await expect(expand('{{ pathPrefix }} {{ externalURL }}{{ graphLink "up" }} {{ urlQueryEscape "a b" }}')).resolves.toBe(
      '/prom https://prometheus.example.com/prom/graph?g0.expr=up&g0.tab=0 a+b',
    );
  });

  it('now, toTime, toDuration, parseDuration use the evaluation time', async () => {
    await expect(expand('{{ now }} {{ (now | toTime).Format "2006-01-02" }} {{ (90 | toDuration) }} {{ parseDuration "1h30m" }}')).resolves.toBe(
      '1.435065584128e+09 2015-06-23 1m30s 5400',
    );
    expect(await errorOf('{{ parseDuration "1x" }}')).toContain('error calling parseDuration: unknown unit "x" in duration "1x"');
  });
});

describe('parseTemplate', () => {
  it('rejects what promtool check rules rejects, with Go messages', () => {
    const cases: [string, string][] = [
      ['Instance {{ $label.foo }} down', 'undefined variable "$label"'],
      ['{{ humanise $value }}', 'function "humanise" not defined'],
      ['{{ if true }}x', 'unexpected EOF'],
      ['{{ end }}', 'unexpected {{end}}'],
      ['{{ 1 | 2 }}', 'non executable command in pipeline stage 2'],
      ['{{ "open }}', 'unterminated quoted string'],
      ['{{ }}', 'missing value for command'],
      ['{{/* open', 'unclosed comment'],
      ['{{/* c */ }}', 'comment ends before closing delimiter'],
      ['{{ (1 }}', 'unclosed left paren'],
      ['{{ break }}', '{{break}} outside {{range}}'],
      ['{{ else }}', 'unexpected {{else}}'],
      ['{{ 1.x }}', 'bad number syntax: "1.x"'],
      ['{{ "a".b }}', 'unexpected . after term "\\"a\\""'],
      ['{{ $labels.job | | toUpper }}', 'unexpected "|" in command'],
    ];
    for (const [text, message] of cases) {
      expect(() => parseTemplate(text, NAME)).toThrow(new TemplateError(`template: ${NAME}:1: ${message}`));
    }
  });

  it('reports the line of the error', () => {
    expect(() => parseTemplate('line one\nline two {{ $nope }}', NAME)).toThrow(`template: ${NAME}:2: undefined variable "$nope"`);
    expect(() => parseTemplate('{{ printf "x"\n  "y"', NAME)).toThrow(`template: ${NAME}:2: unclosed action started at ${NAME}:1`);
  });

  it('accepts every documented construct', () => {
    expect(() =>
      parseTemplate(
        '{{- /* c */ -}}{{ $x := $labels.job }}{{ if and $x (ne $x "a") }}{{ range $i, $s := query "up" }}{{ $s.Value | humanize }}{{ end }}{{ else }}{{ with $value }}{{ . }}{{ end }}{{ end }}',
        NAME,
      ),
    ).not.toThrow();
  });

  it('parses without the prelude on request, then $labels is undefined', () => {
    expect(() => parseTemplate('{{ $labels }}', 'plain', { prelude: false })).toThrow('template: plain:1: undefined variable "$labels"');
  });

  it('returns a template that expandTemplate can reuse', async () => {
    const parsed = parseTemplate('{{ $labels.job }}={{ $value }}', NAME);
    await expect(expandTemplate(parsed, data, options)).resolves.toBe('node=0.25');
    await expect(expandTemplate(parsed, { ...data, value: 2 }, options)).resolves.toBe('node=2');
  });
});

describe('errors never escape expandTemplate', () => {
  it('renders a parse error as Prometheus annotates it', async () => {
    await expect(expand('Instance {{ $label.foo }} down')).resolves.toBe(
      `<error expanding template: error parsing template ${NAME}: template: ${NAME}:1: undefined variable "$label">`,
    );
  });

  it('renders an execution error with line, column (prelude included, in bytes) and context', async () => {
    await expect(expand('{{ humanize "one" }}')).resolves.toBe(
      `<error expanding template: error executing template ${NAME}: template: ${NAME}:1:${PRELUDE_COLS + 3}: executing "${NAME}" at <humanize "one">: error calling humanize: strconv.ParseFloat: parsing "one": invalid syntax>`,
    );
    expect(await errorOf('é\n  {{ humanize "one" }}')).toContain(`template: ${NAME}:2:5: executing`);
    expect(await errorOf('é {{ humanize "one" }}')).toContain(`template: ${NAME}:1:${PRELUDE_COLS + 6}: executing`);
  });

  it('turns a panicking function (bad regexp, out-of-range index) into an error', async () => {
    expect(await errorOf('{{ reReplaceAll "(" "x" "y" }}')).toContain(
      'error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`',
    );
    expect(await errorOf('{{ index "ab" 2 }}')).toContain('error calling index: reflect: string index out of range');
    expect(await errorOf('{{ query "x" | first | label "a" }}', {}, { query: async () => [] })).toContain('error calling first: first() called on vector with no elements');
  });

  it('turns a failing or throwing query callback into an error', async () => {
    expect(await errorOf('{{ query "x" }}', {}, { query: () => Promise.reject(new Error('engine down')) })).toContain('error calling query: engine down');
    const throwing = (): Promise<never> => {
      throw new Error('sync failure');
    };
    expect(await errorOf('{{ query "x" }}', {}, { query: throwing })).toContain('error calling query: sync failure');
    expect(await errorOf('{{ query "x" }}', {}, { query: undefined })).toContain('error calling query: query is not available in this context');
  });

  it('reports wrong argument counts and types like Go', async () => {
    expect(await errorOf('{{ humanize }}')).toContain('wrong number of args for humanize: want 1 got 0');
    expect(await errorOf('{{ label 1 . }}')).toContain('expected string; found 1');
    expect(await errorOf('{{ toUpper 1.5 }}')).toContain('expected string; found 1.5');
    expect(await errorOf('{{ $value | toUpper }}')).toContain('wrong type for value; expected string; got float64');
    expect(await errorOf('{{ $labels.job.foo }}')).toContain("can't evaluate field foo in type string");
    expect(await errorOf('{{ 1 2 }}')).toContain("can't give argument to non-function 1");
    expect(await errorOf('{{ nil }}')).toContain('nil is not a command');
  });

  it('never throws, whatever the input', async () => {
    const texts = ['{{', '}}', '{{ $ }}', '{{ . | printf }}', '{{ index }}', '{{ range $value }}{{ end }}', '{{ template }}', '\u0000{{ "\\x" }}'];
    for (const text of texts) await expect(expand(text)).resolves.toEqual(expect.any(String));
  });
});
