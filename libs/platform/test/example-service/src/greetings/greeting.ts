/** The pure core of the capability: no Nest, no I/O, unit-testable as is. */
export function greet(greeting: string, name: string): string {
  return `${greeting}, ${name}`;
}
