// One sentence about a direct federation probe, in a language: made with the probe, remade for another language.

import { DEFAULT_LOCALE, localize, type Locale } from '../i18n/index.js';
import { errorCodeWords } from '../resolver/describe.js';
import { PLAN_TEXTS } from './plan-texts.js';
import type { DirectProbe } from './types.js';

function ipText(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/**
 * The probe's summary in `locale` (English by default): the homeserver answers with a trusted certificate, or the
 * first address that fails and why (the errors the probe recorded, as they were reported), or why there is no
 * address. Pure: `probe.summary` is this, in the language the probe was made in.
 *
 * @example
 * ```ts
 * probeSummary(probe, 'zh-CN'); // 'homeserver 已应答（Synapse 1.140.0），使用的是对 example.com 有效的受信任证书。'
 * ```
 */
export function probeSummary(
  probe: Pick<DirectProbe, 'host' | 'port' | 'addresses' | 'dnsError'>,
  locale: Locale = DEFAULT_LOCALE,
): string {
  const t = localize(PLAN_TEXTS, locale);
  const { host, port, addresses, dnsError } = probe;
  if (addresses.length === 0) {
    const problem =
      dnsError === null
        ? t('probe.hostHasNoAddress', { host })
        : dnsError.message === noRecordsMessage(host)
          ? t('probe.noRecords', { host })
          : t('probe.lookupFailed', { host, message: dnsError.message });
    return t('probe.noAddress', { problem });
  }
  const failing = addresses.filter((a) => !a.works);
  if (failing.length === 0) {
    const server = addresses[0]?.version?.server;
    return t('probe.works', { host, server: server ? server : null });
  }
  const first = failing[0]!;
  const where = `${ipText(first.ip)}:${port}`;
  const why =
    first.error !== null
      ? locale === 'en'
        ? t('probe.failed', { message: first.error.message })
        : t('probe.failedWords', { problem: errorCodeWords(first.error.code, locale), message: first.error.message })
      : first.tls !== null && !(first.tls.trusted && first.tls.nameMatches)
        ? t('probe.certificate', { where, host, problem: first.tls.problem })
        : t('probe.version', { where, problem: first.version?.problem ?? null });
  const count =
    failing.length === addresses.length ? '' : t('probe.some', { failing: failing.length, total: addresses.length });
  return t('probe.sentence', { why, count });
}

/** The DNS error the probe records for a host without A and AAAA records (the lookup itself reports none). */
export function noRecordsMessage(host: string): string {
  return localize(PLAN_TEXTS, DEFAULT_LOCALE)('probe.noRecords', { host });
}
