import { join } from 'node:path';
import { loadTemplates } from './load-templates';
import { compileTemplateFile } from './template-file';
import { Templates } from './templates';

const DEFAULTS = join(__dirname, '../../../../deploy/notify/templates');

function templates(...files: [name: string, source: string][]): Templates {
  return new Templates(files.map(([name, source]) => compileTemplateFile(name, `${name}.yaml`, source)));
}

const withHtml = `
audience: responders
variables: [incident.title, links.ack]
email:
  subject: "[FIRING] {{ incident.title }}"
  text: "{{ incident.title }}\\nAck: {{ links.ack }}"
  html: '<p>{{ incident.title }}</p><a href="{{ links.ack }}">Ack</a>'
sms:
  text: "{{ incident.title }} {{ links.ack }}"
`;

const textOnly = `
audience: customers
variables: [incident.title, links.status]
email:
  subject: "{{ incident.title }}"
  text: "{{ incident.title }}\\n\\nMore: {{ links.status }}"
`;

describe('Templates.render', () => {
  const t = templates(['page', withHtml], ['notice', textOnly]);
  const hostile = { incident: { title: '<script>alert("x")</script> & co' }, links: { ack: 'https://v.example/ack?a=1&b="2"' } };

  it('escapes values in the HTML part and keeps them as they are in subject, text and SMS', () => {
    const email = t.render('page', 'email', hostile);
    expect(email.subject).toBe('[FIRING] <script>alert("x")</script> & co');
    expect(email.text).toBe('<script>alert("x")</script> & co\nAck: https://v.example/ack?a=1&b="2"');
    expect(email.html).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p><a href="https://v.example/ack?a=1&amp;b=&quot;2&quot;">Ack</a>',
    );
    expect(t.render('page', 'sms', hostile)).toEqual({ text: '<script>alert("x")</script> & co https://v.example/ack?a=1&b="2"' });
  });

  it('renders HTML from the text, escaped and with links, when the template has no html', () => {
    const email = t.render('notice', 'email', { incident: { title: '<b>API</b>' }, links: { status: 'https://s.example/i/1' } });
    expect(email.text).toBe('<b>API</b>\n\nMore: https://s.example/i/1');
    expect(email.html).toBe('<p>&lt;b&gt;API&lt;/b&gt;</p>\n<p>More: <a href="https://s.example/i/1">https://s.example/i/1</a></p>');
  });

  it('fails naming template, channel and variable when a variable is missing', () => {
    expect(() => t.render('page', 'email', { incident: { title: 'x' } })).toThrow('template "page" (email, page.yaml): missing variable "links.ack"');
  });

  it('fails for an unknown template or a channel the template lacks', () => {
    expect(() => t.render('nope', 'email', {})).toThrow('no template "nope" (have: page, notice)');
    expect(() => t.render('notice', 'sms', { incident: { title: 'x' }, links: { status: 'y' } })).toThrow('has no sms variant');
  });

  it('lists templates with their audience, channels and variables', () => {
    expect(t.list().map(({ name, audience, channels, variables }) => ({ name, audience, channels, variables }))).toEqual([
      { name: 'notice', audience: 'customers', channels: ['email'], variables: ['incident.title', 'links.status'] },
      { name: 'page', audience: 'responders', channels: ['email', 'sms'], variables: ['incident.title', 'links.ack'] },
    ]);
  });
});

describe('template files at load', () => {
  it('rejects a placeholder not declared in variables, naming file and placeholder', () => {
    const source = withHtml.replace('Ack: {{ links.ack }}', 'Ack: {{ links.acknowledge }}');
    expect(() => compileTemplateFile('page', 'deploy/page.yaml', source)).toThrow(
      'template deploy/page.yaml: email.text: unknown placeholder "{{ links.acknowledge }}" (not in variables)',
    );
  });

  it('rejects files that do not match the schema', () => {
    expect(() => compileTemplateFile('x', 'x.yaml', 'audience: everyone\nvariables: [a]\nsms: { text: hi }')).toThrow(/template x\.yaml: .*audience/s);
    expect(() => compileTemplateFile('x', 'x.yaml', 'audience: customers\nvariables: [a]\nsms: { text: hi, subject: no }')).toThrow(/subject/);
    expect(() => compileTemplateFile('x', 'x.yaml', 'audience: customers\nvariables: [a]')).toThrow('needs an email or an sms variant');
    expect(() => compileTemplateFile('x', 'x.yaml', 'audience: [')).toThrow('template x.yaml: not valid YAML');
    expect(() => compileTemplateFile('Bad_Name', 'Bad_Name.yaml', 'audience: customers\nvariables: [a]\nsms: { text: hi }')).toThrow('must be lowercase');
  });

  it('rejects a sample that misses a declared variable', () => {
    const source = `${textOnly}sample: { incident: { title: t } }\n`;
    expect(() => templates(['notice', source])).toThrow('template "notice" (email, notice.yaml): missing variable "links.status"');
  });

  it('rejects two templates with one name', () => {
    expect(() => templates(['page', withHtml], ['page', withHtml])).toThrow('template "page" is defined twice');
  });
});

describe('default templates (deploy/notify/templates)', () => {
  const defaults = loadTemplates(DEFAULTS);

  it('has page, escalation-page, incident-responder, sitrep, customer-update and subscription-confirm, each for email and sms, for their audiences', () => {
    expect(defaults.list().map(({ name, audience, channels }) => ({ name, audience, channels }))).toEqual([
      { name: 'customer-update', audience: 'customers', channels: ['email', 'sms'] },
      { name: 'escalation-page', audience: 'responders', channels: ['email', 'sms'] },
      { name: 'incident-responder', audience: 'responders', channels: ['email', 'sms'] },
      { name: 'page', audience: 'responders', channels: ['email', 'sms'] },
      { name: 'sitrep', audience: 'stakeholders', channels: ['email', 'sms'] },
      { name: 'subscription-confirm', audience: 'customers', channels: ['email', 'sms'] },
    ]);
  });

  it.each(['page', 'escalation-page', 'incident-responder', 'sitrep', 'customer-update', 'subscription-confirm'])('%s renders with its sample: subject, text and html for email, short text for SMS', (name) => {
    const summary = defaults.list().find((s) => s.name === name);
    expect(summary?.sample).toBeDefined();
    const sample = summary?.sample ?? {};
    const email = defaults.render(name, 'email', sample);
    expect(email.subject).toMatch(/\S/);
    expect(email.html).toMatch(/<p>/);
    const sms = defaults.render(name, 'sms', sample);
    expect(sms.subject).toBeUndefined();
    expect(sms.text.length).toBeLessThanOrEqual(160);
    for (const out of [email.subject, email.text, email.html, sms.text]) expect(out).not.toContain('{{');
  });

  it('page: "[FIRING|RESOLVED] <alertname> …" with the graph link, values escaped in HTML', () => {
    const vars = { status: 'RESOLVED', alert: { name: 'DiskFull', summary: '<90% free>', severity: 'warning', cause: '' }, group: { firing: 0 }, links: { alert: 'https://v.example/graph?g0.expr=x' }, person: { name: 'Alice' } };
    const email = defaults.render('page', 'email', vars);
    expect(email.subject).toBe('[RESOLVED] DiskFull (warning): <90% free>');
    expect(email.text).toContain('Graph: https://v.example/graph?g0.expr=x');
    expect(email.html).toContain('<a href="https://v.example/graph?g0.expr=x">Graph</a>');
    expect(email.html).toContain('&lt;90% free&gt;');
    expect(defaults.render('page', 'sms', vars).text).toBe('[RESOLVED] DiskFull (warning): <90% free>');
  });

  it('customer-update carries the unsubscribe link in text and html', () => {
    const sample = defaults.list().find((s) => s.name === 'customer-update')?.sample ?? {};
    const email = defaults.render('customer-update', 'email', sample);
    expect(email.text).toContain('Unsubscribe: https://status.example.com/unsubscribe?t=tok');
    expect(email.html).toContain('<a href="https://status.example.com/unsubscribe?t=tok">Unsubscribe</a>');
  });
});
