import { compileText, lookup, placeholdersOf, renderText } from './placeholders';

describe('placeholders', () => {
  it('renders dotted paths, with or without spaces inside the braces', () => {
    const text = compileText('{{incident.title}} is {{ incident.status }} ({{ count }})');
    expect(placeholdersOf(text)).toEqual(['incident.title', 'incident.status', 'count']);
    expect(renderText(text, { incident: { title: 'API down', status: 'open' }, count: 3 })).toBe('API down is open (3)');
  });

  it('passes values, not literals, through the escape function', () => {
    const text = compileText('<b>{{ name }}</b>');
    expect(renderText(text, { name: 'a&b' }, (v) => v.toUpperCase())).toBe('<b>A&B</b>');
  });

  it('names the path when a variable is missing or is an object', () => {
    expect(() => lookup({ incident: { title: 't' } }, 'incident.status')).toThrow('missing variable "incident.status"');
    expect(() => lookup({ incident: 't' }, 'incident.title')).toThrow('missing variable "incident.title"');
    expect(() => lookup({ incident: { title: 't' } }, 'incident')).toThrow('variable "incident" is an object');
  });

  it('does not reach inherited properties', () => {
    expect(() => lookup({}, 'constructor')).toThrow('missing variable "constructor"');
  });

  it('rejects malformed placeholders and stray braces', () => {
    expect(() => compileText('{{ incident..title }}')).toThrow('malformed placeholder "{{ incident..title }}"');
    expect(() => compileText('{{ }}')).toThrow('malformed placeholder');
    expect(() => compileText('hello {{ name')).toThrow('unbalanced braces');
    expect(() => compileText('hello name }}')).toThrow('unbalanced braces');
  });
});
