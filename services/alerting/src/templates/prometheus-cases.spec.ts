import { expandWith } from './expand';
import type { QuerySample } from './functions';
import { GoInt, GoSlice, type GoValue } from './go-values';

/**
 * Prometheus' own expansion cases (prometheus/template/template_test.go, TestTemplateExpansion), text-mode ones,
 * with the same inputs: template name "test", evaluation time 1353755652000 ms,
 * external URL http://testhost:9090/path/prefix, and a query function that returns the case's vector.
 */

interface Scenario {
  text: string;
  output?: string;
  input?: GoValue;
  queryResult?: QuerySample[];
  errorMsg?: string;
}

const floats = (...xs: number[]): GoSlice => new GoSlice('[]float64', xs);
const strings = (...xs: string[]): GoSlice => new GoSlice('[]string', xs);
const ints = (...xs: number[]): GoSlice => new GoSlice('[]int64', xs.map((x) => new GoInt(x)));

async function run(s: Scenario): Promise<{ ok: boolean; text?: string; error?: string }> {
  const result = await expandWith(s.text, s.input, {
    name: 'test',
    prelude: false,
    now: () => 1353755652000,
    externalURL: 'http://testhost:9090/path/prefix',
    query: async () => s.queryResult ?? [],
  });
  return result.ok ? { ok: true, text: result.text } : { ok: false, error: result.error };
}

const metricA = (value: number): QuerySample[] => [{ labels: { __name__: 'metric', instance: 'a' }, value }];

const scenarios: Scenario[] = [
  { text: 'plain text', output: 'plain text' },
  { text: '{{ 1 }}', output: '1' },
  {
    text: '{{ \u00a0}}',
    errorMsg: 'error parsing template test: template: test:1: unrecognized character in action: U+00A0',
  },
  { text: '{{ "<b>" }}', output: '<b>' },
  { text: '{{define "x"}}{{.arg0}} {{.arg1}}{{end}}{{template "x" (args 1 "2")}}', output: '1 2' },
  { text: '{{ query "1.5" | first | value }}', output: '1.5', queryResult: [{ labels: {}, value: 1.5 }] },
  { text: "{{ query \"metric{instance='a'}\" | first | value }}", queryResult: metricA(11), output: '11' },
  { text: "{{ query \"metric{instance='a'}\" | first | label \"instance\" }}", queryResult: metricA(11), output: 'a' },
  {
    text: "{{ query \"metric{__value__='a'}\" | first | strvalue }}",
    queryResult: [{ labels: { __name__: 'metric', __value__: 'a' }, value: 11 }],
    output: 'a',
  },
  { text: "{{ query \"metric{instance='a'}\" | first | label \"foo\" }}", queryResult: metricA(11), output: '' },
  { text: '{{ $x := query "metric" | first }}{{ $x.Labels.foo }}', queryResult: metricA(11), output: '' },
  {
    text: '{{ range query "metric" | sortByLabel "instance" }}{{.Labels.instance}}:{{.Value}}: {{end}}',
    queryResult: [
      { labels: { __name__: 'metric', instance: 'b' }, value: 21 },
      { labels: { __name__: 'metric', instance: 'a' }, value: 11 },
    ],
    output: 'a:11: b:21: ',
  },
  { text: '{{ "foo.example.com" | stripPort }}', output: 'foo.example.com' },
  { text: '{{ "foo.example.com:12345" | stripPort }}', output: 'foo.example.com' },
  { text: '{{ "192.0.2.1" | stripPort }}', output: '192.0.2.1' },
  { text: '{{ "192.0.2.1:12345" | stripPort }}', output: '192.0.2.1' },
  { text: '{{ "2001:0DB8::1" | stripPort }}', output: '2001:0DB8::1' },
  { text: '{{ "[2001:0DB8::1]:12345" | stripPort }}', output: '2001:0DB8::1' },
  { text: '{{ "[2001:0DB8::1]::12345" | stripPort }}', output: '[2001:0DB8::1]::12345' },
  { text: '{{ .Foo }}', output: '<no value>' },
  { text: '{{', errorMsg: 'error parsing template test: template: test:1: unclosed action' },
  {
    text: '{{ query "missing" | first }}',
    queryResult: [],
    errorMsg:
      'error executing template test: template: test:1:21: executing "test" at <first>: error calling first: first() called on vector with no elements',
  },
  {
    text: '{{ (query "missing").banana }}',
    queryResult: [],
    errorMsg:
      'error executing template test: template: test:1:10: executing "test" at <"missing">: can\'t evaluate field banana in type template.queryResult',
  },
  { text: '{{ reReplaceAll "(a)b" "x$1" "ab" }}', output: 'xa' },
  { text: '{{ range . }}{{ humanize . }}:{{ end }}', input: floats(0.0, 1.0, 1234567.0, 0.12), output: '0:1:1.235M:120m:' },
  { text: '{{ range . }}{{ humanize . }}:{{ end }}', input: strings('0.0', '1.0', '1234567.0', '.12'), output: '0:1:1.235M:120m:' },
  {
    text: '{{ humanize "one" }}',
    errorMsg:
      'error executing template test: template: test:1:3: executing "test" at <humanize "one">: error calling humanize: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  { text: '{{ range . }}{{ humanize . }}:{{ end }}', input: ints(0, -1, 1, 1234567, 9223372036854775807), output: '0:-1:1:1.235M:9.223E:' },
  { text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: floats(0.0, 1.0, 1048576.0, 0.12), output: '0:1:1Mi:0.12:' },
  { text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: strings('0.0', '1.0', '1048576.0', '.12'), output: '0:1:1Mi:0.12:' },
  {
    text: '{{ humanize1024 "one" }}',
    errorMsg:
      'error executing template test: template: test:1:3: executing "test" at <humanize1024 "one">: error calling humanize1024: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  { text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: ints(0, -1, 1, 1234567, 9223372036854775807), output: '0:-1:1:1.177Mi:8Ei:' },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: floats(0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99),
    output: '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:',
  },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: strings('0', '1', '60', '3600', '86400'),
    output: '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:',
  },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: floats(0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345),
    output: '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:',
  },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: strings('.1', '.0001', '.12345', '60.1', '60.5', '1.2345', '12.345'),
    output: '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:',
  },
  {
    text: '{{ humanizeDuration "one" }}',
    errorMsg:
      'error executing template test: template: test:1:3: executing "test" at <humanizeDuration "one">: error calling humanizeDuration: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  { text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}', input: ints(0, -1, 1, 1234567), output: '0s:-1s:1s:14d 6h 56m 7s:' },
  {
    text: '{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}',
    input: floats(Infinity, -Infinity, NaN),
    output: '+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:',
  },
  {
    text: '{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}',
    input: strings('+Inf', '-Inf', 'NaN'),
    output: '+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:',
  },
  {
    text: '{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}',
    output: '-22.22%:0%:12.35%:123.5%',
  },
  {
    text: '{{ range . }}{{ humanizePercentage . }}:{{ end }}',
    input: ints(0, -1, 1, 1234567, 9223372036854775807),
    output: '0%:-100%:100%:1.235e+08%:9.223e+20%:',
  },
  {
    text: '{{ "-0.22222" | humanizePercentage }}:{{ "0.0" | humanizePercentage }}:{{ "0.1234567" | humanizePercentage }}:{{ "1.23456" | humanizePercentage }}',
    output: '-22.22%:0%:12.35%:123.5%',
  },
  {
    text: '{{ "one" | humanizePercentage }}',
    errorMsg:
      'error executing template test: template: test:1:11: executing "test" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  {
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: ints(0, -1, 1, 1234567, 9223372036),
    output:
      '1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:',
  },
  {
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: ints(-9223372036854775808, 9223372036854775807),
    errorMsg:
      'error executing template test: template: test:1:16: executing "test" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64',
  },
  { text: '{{ 1435065584.128 | humanizeTimestamp }}', output: '2015-06-23 13:19:44.128 +0000 UTC' },
  { text: '{{ "1435065584.128" | humanizeTimestamp }}', output: '2015-06-23 13:19:44.128 +0000 UTC' },
  { text: '{{ (1435065584.128 | toTime).Format "2006" }}', output: '2015' },
  { text: '{{ ("1435065584.128" | toTime).Format "2006" }}', output: '2015' },
  { text: '{{ (1800 | toDuration).String }}', output: '30m0s' },
  { text: '{{ ("1800" | toDuration).String }}', output: '30m0s' },
  { text: '{{ now }}', output: '1.353755652e+09' },
  { text: '{{ (now | toTime).Format "Mon Jan 2 15:04:05 2006" }}', output: 'Sat Nov 24 11:14:12 2012' },
  { text: '{{ ("-30m" | parseDuration | toDuration | (now | toTime).Add).UnixMilli }}', output: '1353753852000' },
  { text: '{{ "aa bb CC" | title }}', output: 'Aa Bb CC' },
  { text: '{{ "aa bb CC" | toUpper }}', output: 'AA BB CC' },
  { text: '{{ "aA bB CC" | toLower }}', output: 'aa bb cc' },
  { text: '{{ match "a+" "aa" }} {{ match "a+" "b" }}', output: 'true false' },
  { text: '{{ graphLink "up" }}', output: '/graph?g0.expr=up&g0.tab=0' },
  { text: '{{ tableLink "up" }}', output: '/graph?g0.expr=up&g0.tab=1' },
  { text: '{{ pathPrefix }}', output: '/path/prefix' },
  { text: '{{ externalURL }}', output: 'http://testhost:9090/path/prefix' },
  { text: '{{ printf "%0.2f" (parseDuration "1h2m10ms") }}', output: '3720.01' },
  { text: '{{ printf "%0.2f" (parseDuration "-1h2m10ms") }}', output: '-3720.01' },
  { text: '{{ "foo.example.com" | stripDomain }}', output: 'foo' },
  { text: '{{ "foo.example.com:12345" | stripDomain }}', output: 'foo:12345' },
  { text: '{{ "192.0.2.1" | stripDomain }}', output: '192.0.2.1' },
  { text: '{{ "192.0.2.1:12345" | stripDomain }}', output: '192.0.2.1:12345' },
  { text: '{{ "2001:0DB8::1" | stripDomain }}', output: '2001:0DB8::1' },
  { text: '{{ "[2001:0DB8::1]:12345" | stripDomain }}', output: '[2001:0DB8::1]:12345' },
  { text: '{{ "[2001:0DB8::1]::12345" | stripDomain }}', output: '[2001:0DB8::1]::12345' },
];

describe("Prometheus' template_test.go expansion cases", () => {
  it.each(scenarios.map((s) => [s.text, s] as const))('%s', async (_text, s) => {
    const result = await run(s);
    if (s.errorMsg !== undefined) expect(result).toEqual({ ok: false, error: s.errorMsg });
    else expect(result).toEqual({ ok: true, text: s.output });
  });
});
