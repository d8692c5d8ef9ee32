import { isIPv4, isIPv6 } from 'node:net';

/**
 * True when `host` only accepts connections from this machine: `localhost`, 127.0.0.0/8, `::1`
 * (also IPv4-mapped `::ffff:127.x.x.x`). `0.0.0.0` and `::` listen on every interface: not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === 'localhost.') return true;
  if (isIPv4(h)) return h.split('.')[0] === '127';
  if (isIPv6(h)) {
    const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    if (mapped) return isIPv4(mapped[1] as string) && (mapped[1] as string).split('.')[0] === '127';
    return /^(?:0{0,4}:){2,7}0{0,3}1$/.test(h) && expandsToLoopback(h);
  }
  return false;
}

/** `::1` in any of its spellings (`0:0:0:0:0:0:0:1`, `::0:1`, …). */
function expandsToLoopback(h: string): boolean {
  const [head = '', tail = ''] = h.includes('::') ? h.split('::') : [h, ''];
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = groups(tail);
  const all = h.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return all.length === 8 && all.slice(0, 7).every((g) => /^0+$/.test(g)) && /^0*1$/.test(all[7] as string);
}
