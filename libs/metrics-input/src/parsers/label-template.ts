import { setLabel } from './label-set';

/** Above this many labels V8 would build label objects in slow dictionary mode; templates avoid that. */
export const TEMPLATE_MIN_LABELS = 13;

interface Template {
  names: string[];
  object: Record<string, string>;
}

/**
 * V8 switches an object to (much slower) dictionary mode once more than ~16 properties are added
 * by computed keys. Copying a template that already has every property (built by JSON.parse, which
 * keeps fast properties) and then overwriting the values keeps the object fast. One template per
 * label-name sequence; bounded (cleared when full).
 */
export class LabelTemplates {
  private readonly templates = new Map<string, Template>();

  constructor(private readonly maxTemplates = 1024) {}

  build(names: readonly string[], values: readonly string[], count: number): Record<string, string> {
    let key = '';
    for (let i = 0; i < count; i++) key += `${names[i]}\u0000`;
    let template = this.templates.get(key);
    // The key is only a hint (names may contain \u0000): the names themselves must match.
    if (template === undefined || !sameNames(template.names, names, count)) {
      if (this.templates.size >= this.maxTemplates) this.templates.clear();
      const shape: Record<string, string> = {};
      for (let i = 0; i < count; i++) setLabel(shape, names[i], '');
      template = { names: names.slice(0, count), object: JSON.parse(JSON.stringify(shape)) as Record<string, string> };
      this.templates.set(key, template);
    }
    const labels = { ...template.object };
    for (let i = 0; i < count; i++) setLabel(labels, names[i], values[i]);
    return labels;
  }
}

function sameNames(a: readonly string[], b: readonly string[], count: number): boolean {
  if (a.length !== count) return false;
  for (let i = 0; i < count; i++) if (a[i] !== b[i]) return false;
  return true;
}
