import { escapeHtml, textToHtml } from './html';

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('textToHtml', () => {
  it('makes paragraphs from blank lines and <br> from single newlines', () => {
    expect(textToHtml('one\ntwo\n\nthree\n')).toBe('<p>one<br>\ntwo</p>\n<p>three</p>');
  });

  it('links http(s) URLs, leaving sentence punctuation and quotes outside the link', () => {
    expect(textToHtml('Ack: https://v.example/ack?a=1&b=2. Or "https://v.example/x"')).toBe(
      '<p>Ack: <a href="https://v.example/ack?a=1&amp;b=2">https://v.example/ack?a=1&amp;b=2</a>. Or &quot;<a href="https://v.example/x">https://v.example/x</a>&quot;</p>',
    );
  });

  it('escapes everything else, and links nothing but http(s)', () => {
    expect(textToHtml('<script>alert(1)</script> javascript:alert(1)')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>');
  });
});
