// Cloudflare's published address ranges and the ports its proxy carries: dated data, to be refreshed (see CLOUDFLARE_DATA).

import { BlockList, isIP } from 'node:net';
import type { AnswerHeaders } from '../check-report/index.js';

/**
 * What Cloudflare publishes about its proxy, copied as data with its source and date. The ranges change rarely (a
 * few times in ten years) but they do change: refresh them from the sources below (`curl -s
 * https://www.cloudflare.com/ips-v4; curl -s https://www.cloudflare.com/ips-v6`) and update `asOf`. A stale list
 * only weakens the address evidence: answers carrying Cloudflare's headers are recognised whatever the list says.
 */
export const CLOUDFLARE_DATA = Object.freeze({
  /** Where the ranges come from (the same lists are served as JSON by https://api.cloudflare.com/client/v4/ips). */
  rangesSource: 'https://www.cloudflare.com/ips-v4 and https://www.cloudflare.com/ips-v6',
  /** The date of the published lists copied here. */
  asOf: '2026-02-11',
  ipv4: Object.freeze([
    '173.245.48.0/20',
    '103.21.244.0/22',
    '103.22.200.0/22',
    '103.31.4.0/22',
    '141.101.64.0/18',
    '108.162.192.0/18',
    '190.93.240.0/20',
    '188.114.96.0/20',
    '197.234.240.0/22',
    '198.41.128.0/17',
    '162.158.0.0/15',
    '104.16.0.0/13',
    '104.24.0.0/14',
    '172.64.0.0/13',
    '131.0.72.0/22',
  ]),
  ipv6: Object.freeze([
    '2400:cb00::/32',
    '2606:4700::/32',
    '2803:f800::/32',
    '2405:b500::/32',
    '2405:8100::/32',
    '2a06:98c0::/29',
    '2c0f:f248::/32',
  ]),
  /**
   * The HTTPS ports Cloudflare's proxy accepts (https://developers.cloudflare.com/fundamentals/reference/network-ports/):
   * 8448 is not one of them, so a proxied record gives servers an address that never answers on 8448.
   */
  httpsPorts: Object.freeze([443, 2053, 2083, 2087, 2096, 8443]),
});

let blockList: BlockList | undefined;

function ranges(): BlockList {
  if (blockList === undefined) {
    const list = new BlockList();
    for (const [cidrs, family] of [
      [CLOUDFLARE_DATA.ipv4, 'ipv4'],
      [CLOUDFLARE_DATA.ipv6, 'ipv6'],
    ] as const) {
      for (const cidr of cidrs) {
        const [network, prefix] = cidr.split('/');
        list.addSubnet(network ?? '', Number(prefix), family);
      }
    }
    blockList = list;
  }
  return blockList;
}

/**
 * The published Cloudflare range `ip` lies in, or null (also for anything that is not an IP address).
 *
 * @example
 * ```ts
 * cloudflareRange('104.21.90.241'); // '104.16.0.0/13'
 * cloudflareRange('192.0.2.1'); // null
 * ```
 */
export function cloudflareRange(ip: string): string | null {
  const family = isIP(ip);
  if (family === 0 || !ranges().check(ip, family === 4 ? 'ipv4' : 'ipv6')) return null;
  const single = new BlockList();
  for (const cidr of family === 4 ? CLOUDFLARE_DATA.ipv4 : CLOUDFLARE_DATA.ipv6) {
    const [network, prefix] = cidr.split('/');
    single.addSubnet(network ?? '', Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
    if (single.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return cidr;
  }
  return null;
}

/** True when Cloudflare's proxy accepts HTTPS on `port`. */
export function cloudflareProxiesPort(port: number): boolean {
  return CLOUDFLARE_DATA.httpsPorts.includes(port);
}

/** True for an answer Cloudflare's proxy sent or passed on: it carries `CF-Ray`, or `Server: cloudflare`. */
export function isCloudflareAnswer(answer: AnswerHeaders | null | undefined): boolean {
  if (answer === null || answer === undefined) return false;
  return answer.cfRay !== null || /^cloudflare\b/i.test(answer.server ?? '');
}
