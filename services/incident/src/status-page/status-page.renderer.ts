import { Html, html } from './html';
import type { ComponentStatus, PublicIncident, PublicStatusModel } from './public-status';

const LABEL: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};
const STATUS_WORD = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' } as const;

const iso = (ms: number) => new Date(ms).toISOString();
const human = (ms: number) => new Date(ms).toUTCString().replace(' GMT', ' UTC');

// Status is always spelled out in text; colour only repeats it (WCAG 1.4.1).
const CSS = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem;margin:.2rem 0}
.banner{padding:1rem;border-radius:6px;font-weight:600;background:#e6f4ea;border:2px solid #137333}
.banner.minor{background:#fef7e0;border-color:#b06000}.banner.major,.banner.critical{background:#fce8e6;border-color:#a50e0e}
ul.components{list-style:none;padding:0}ul.components li{display:flex;justify-content:space-between;padding:.5rem;border-bottom:1px solid #ddd}
.s-operational{color:#137333}.s-degraded_performance{color:#b06000}.s-partial_outage,.s-major_outage{color:#a50e0e}
article{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}
ol.updates{list-style:none;padding:0}ol.updates li{margin:.5rem 0}
label{display:block;margin:.5rem 0 .2rem}input{font:inherit;padding:.4rem;width:100%;max-width:22rem}
button{display:block;font:inherit;padding:.4rem 1rem;margin-top:.75rem}a{color:#0b57d0}.muted{color:#555}
`;

function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="alternate" type="application/atom+xml" title="${title} feed" href="/status/feed.atom">
<style>${new Html(CSS)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.value;
}

function incidentArticle(incident: PublicIncident): Html {
  return html`<article id="${incident.id}" aria-labelledby="${incident.id}-title">
<h3 id="${incident.id}-title">${incident.name}</h3>
<p class="muted">Status: <strong>${STATUS_WORD[incident.status]}</strong>${incident.components.length ? html` · Affects ${incident.components.join(', ')}` : ''}</p>
<ol class="updates">
${incident.updates.map(
  (u) => html`<li><strong>${STATUS_WORD[u.status]}</strong> — ${u.body} <br><small class="muted"><time datetime="${iso(u.at)}">${human(u.at)}</time></small></li>
`,
)}
</ol>
</article>
`;
}

export function renderStatusPage(model: PublicStatusModel, title: string, notice?: string): string {
  const byDay = new Map<string, PublicIncident[]>();
  for (const incident of model.history) {
    const day = iso(incident.resolvedAt ?? incident.updatedAt).slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), incident]);
  }
  return layout(
    title,
    html`<h1>${title}</h1>
${notice ? html`<p role="status" class="banner">${notice}</p>` : ''}
<p class="banner ${model.indicator}" role="status">${model.description}</p>
<section aria-labelledby="components-h">
<h2 id="components-h">Components</h2>
${model.components.length === 0 ? html`<p class="muted">No components are listed.</p>` : ''}
<ul class="components">
${model.components.map((c) => html`<li><span>${c.name}</span><span class="s-${c.status}">${LABEL[c.status]}</span></li>
`)}
</ul>
</section>
<section aria-labelledby="open-h">
<h2 id="open-h">Current incidents</h2>
${model.open.length === 0 ? html`<p>No incidents are in progress.</p>` : model.open.map(incidentArticle)}
</section>
<section aria-labelledby="history-h">
<h2 id="history-h">Past incidents (last 90 days)</h2>
${byDay.size === 0 ? html`<p>No incidents reported in the last 90 days.</p>` : ''}
${[...byDay.entries()].map(([day, incidents]) => html`<h3><time datetime="${day}">${day}</time></h3>
${incidents.map(incidentArticle)}`)}
</section>
<section aria-labelledby="subscribe-h">
<h2 id="subscribe-h">Get updates</h2>
<form method="post" action="/status/subscribe">
<p class="muted">Enter an email address or a phone number. We will send a confirmation first; nothing else until you confirm.</p>
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email">
<label for="phone">Phone number (international format, e.g. +14155550100)</label>
<input id="phone" name="phone" type="tel" autocomplete="tel">
<button type="submit">Subscribe</button>
</form>
<p><a href="/status/feed.atom">Atom feed</a> · <a href="/status/api/v2/summary.json">summary.json</a></p>
</section>`,
  );
}

/** A one-message page (subscription results, confirmation, errors). */
export function renderMessagePage(title: string, heading: string, message: string, action?: { url: string; label: string }): string {
  return layout(
    title,
    html`<h1>${heading}</h1>
<p role="status">${message}</p>
${action ? html`<form method="post" action="${action.url}"><button type="submit">${action.label}</button></form>` : ''}
<p><a href="/status">Back to the status page</a></p>`,
  );
}
