/** HTML for message bodies. Pure. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes for HTML text and for double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const URL = /https?:\/\/[^\s<>"']+/g;
/** Punctuation that ends a sentence more often than it ends a URL ("see https://x.example/a."). */
const TRAILING = /[.,;:!?)\]]+$/;

/**
 * Plain text → HTML: blank lines separate paragraphs, single newlines become <br>, http(s) URLs become links, everything
 * escaped. Links are found in the raw text and each piece escaped on its own, so an escaped quote never joins a URL.
 */
export function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((paragraph) => `<p>${paragraph.split(/\r?\n/).map(linkify).join('<br>\n')}</p>`)
    .join('\n');
}

function linkify(line: string): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(URL)) {
    const url = match[0].replace(TRAILING, '');
    html += escapeHtml(line.slice(last, match.index));
    html += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return html + escapeHtml(line.slice(last));
}
