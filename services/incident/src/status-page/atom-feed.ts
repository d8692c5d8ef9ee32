import { escapeHtml } from './html';
import type { PublicStatusModel } from './public-status';

const iso = (ms: number) => new Date(ms).toISOString();

/** Atom 1.0: one entry per public incident, its customer updates as the content. */
export function renderAtomFeed(model: PublicStatusModel, title: string, baseUrl: string): string {
  const incidents = [...model.open, ...model.history].sort((a, b) => b.updatedAt - a.updatedAt);
  const updated = incidents[0]?.updatedAt ?? model.generatedAt;
  const entries = incidents.map((i) => {
    const content = i.updates.map((u) => `<p><small>${escapeHtml(iso(u.at))}</small><br><strong>${escapeHtml(u.status)}</strong> - ${escapeHtml(u.body)}</p>`).join('');
    return `  <entry>
    <id>tag:vigil,2026:incident/${escapeHtml(i.id)}</id>
    <published>${iso(i.createdAt)}</published>
    <updated>${iso(i.updatedAt)}</updated>
    <link rel="alternate" type="text/html" href="${escapeHtml(`${baseUrl}/status#${i.id}`)}"/>
    <title>${escapeHtml(i.name)}</title>
    <content type="html">${escapeHtml(content)}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>tag:vigil,2026:status</id>
  <link rel="alternate" type="text/html" href="${escapeHtml(`${baseUrl}/status`)}"/>
  <link rel="self" type="application/atom+xml" href="${escapeHtml(`${baseUrl}/status/feed.atom`)}"/>
  <title>${escapeHtml(title)}</title>
  <updated>${iso(updated)}</updated>
${entries.join('\n')}
</feed>
`;
}
