/**
 * Label objects are plain objects filled from untrusted names. `__proto__` must become an own
 * property (so it is validated and rejected like any reserved name, not silently turned into a
 * prototype), and lookups must never see `Object.prototype` members such as `constructor`.
 */
const hasOwn = Object.prototype.hasOwnProperty;

export function hasLabel(labels: Record<string, string>, name: string): boolean {
  return hasOwn.call(labels, name);
}

export function setLabel(labels: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') {
    Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    labels[name] = value;
  }
}
