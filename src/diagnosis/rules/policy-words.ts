// Says the address policy's reasons (why an address was not contacted) again in a hint's language.

import type { Locale } from '../../i18n/index.js';
import { ADDRESS_POLICY_TEXTS, type RangeNameKey } from '../../net/address-policy-texts.js';
import { sayAgain, sentenceReader, type PlaceholderNames, type ReadBack } from './read-back.js';

type PolicyTexts = (typeof ADDRESS_POLICY_TEXTS)['en'];
type PolicyForm = keyof PolicyTexts & string;

const FORMS = Object.keys(ADDRESS_POLICY_TEXTS.en) as PolicyForm[];
const RANGES = FORMS.filter((k) => k.startsWith('range.'));

/** The placeholders of every form (a range's name has none). */
const NAMES = {
  ...(Object.fromEntries(RANGES.map((k) => [k, []])) as unknown as { [K in RangeNameKey]: readonly [] }),
  notAnAddress: ['ip'],
  unspecified: ['subject'],
  notDenied: ['ip'],
  deniedByDefault: ['subject', 'network'],
  deniedByList: ['subject', 'network'],
  allowedOverDefault: ['subject', 'network', 'allow'],
  allowedOverList: ['subject', 'network', 'allow'],
  embedded: ['ip', 'via', 'embedded'],
  named: ['cidr', 'name'],
} satisfies { readonly [K in PolicyForm]: PlaceholderNames<PolicyTexts[K]> };

const read = sentenceReader(ADDRESS_POLICY_TEXTS.en, NAMES);

/** A reason's forms, the longer ones (with an allow-list entry) first. */
const REASONS: readonly PolicyForm[] = [
  'allowedOverDefault',
  'allowedOverList',
  'deniedByDefault',
  'deniedByList',
  'unspecified',
  'notAnAddress',
  'notDenied',
];

const ADDRESS = /^[0-9a-f:.%]+$/i;
const CIDR = /^[0-9a-f:.]+\/\d{1,3}$/i;

/** An address as the policy names it (`ip`, or `ip (the IPv4-mapped form of a.b.c.d)`), said in `locale`. */
function saySubject(subject: string, locale: Locale): string | null {
  if (ADDRESS.test(subject)) return subject;
  const embedded = read(subject, ['embedded']);
  if (embedded === null || !ADDRESS.test(embedded.params['ip'] ?? '')) return null;
  return sayAgain(ADDRESS_POLICY_TEXTS, locale, embedded);
}

/** A network as the policy names it (`cidr`, or `cidr (a range's name)`), said in `locale`. */
function sayNetwork(network: string, locale: Locale): string | null {
  if (CIDR.test(network)) return network;
  const named = read(network, ['named']);
  if (named === null || !CIDR.test(named.params['cidr'] ?? '')) return null;
  const name = read(named.params['name'] ?? '', RANGES);
  if (name === null) return null;
  const params = { cidr: named.params['cidr'] ?? '', name: sayAgain(ADDRESS_POLICY_TEXTS, locale, name) };
  return sayAgain(ADDRESS_POLICY_TEXTS, locale, { key: 'named', params });
}

/** One reason of the policy said in `locale`, or null when no form writes it again byte for byte. */
function sayReason(reason: string, locale: Locale): string | null {
  const found: ReadBack<PolicyTexts> | null = read(reason, REASONS);
  if (found === null) return null;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(found.params)) {
    const said =
      name === 'subject'
        ? saySubject(value, locale)
        : name === 'network'
          ? sayNetwork(value, locale)
          : name === 'allow'
            ? CIDR.test(value)
              ? value
              : null
            : ADDRESS.test(value) || found.key === 'notAnAddress'
              ? value
              : null;
    if (said === null) return null;
    params[name] = said;
  }
  return sayAgain(ADDRESS_POLICY_TEXTS, locale, { key: found.key, params });
}

/**
 * The address policy's reasons (an `AddressVerdict.reason`, or several joined by `; ` as src/net/connect.ts and the
 * well-known fetch join them) said in `locale`, or null when one of them is written by no form (English: the text
 * itself). Each reason is read back through src/net/address-policy-texts.ts, the catalogue the policy writes them
 * with, nested parts (an embedded IPv4 form, a named range) in turn.
 *
 * @example
 * ```ts
 * policyReasonWords('10.0.0.1 is in 10.0.0.0/8 (private network, RFC 1918), which is denied by default', 'zh-CN');
 * // '10.0.0.1 位于 10.0.0.0/8（私有网络，RFC 1918）中，该网段默认被拒绝'
 * ```
 */
export function policyReasonWords(reasons: string, locale: Locale): string | null {
  if (locale === 'en') return reasons;
  const said: string[] = [];
  for (const reason of reasons.split('; ')) {
    const one = sayReason(reason, locale);
    if (one === null) return null;
    said.push(one);
  }
  return said.join('；');
}
