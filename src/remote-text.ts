// Bounds on what a report keeps of other servers' text: a prefix of each remote string, marked as cut, and a few entries of each list.

import type { Catalogue, Translation, Translations } from './i18n/index.js';

/**
 * Longest remote strings kept, in characters, by kind. A real value is far shorter (a version name is a word, a
 * version a few dozen characters, a base URL under 100); the bounds only stop a hostile server from making one
 * report megabytes long (32 addresses answering a 500 KB version name once made a 16.6 MB report).
 */
export const REMOTE_TEXT_LIMITS = Object.freeze({
  /** Key ids (a real one is `ed25519:` and a few characters). */
  keyId: 64,
  /** Names, versions, header values, certificate names, contacts, list entries. */
  name: 256,
  /** URLs and other values that are addresses. */
  url: 1024,
  /** Error messages and other sentences that quote remote values. */
  message: 1024,
  /**
   * Any string anywhere in a report, the last line of defence (see `boundRemoteStrings`); above the others plus
   * their marker, so that a string bounded by its reader is never cut again.
   */
  any: 2048,
  /** A hint's detail or fix, which may quote the values of every address. */
  hint: 4096,
});

/**
 * Most entries kept of a remote list whose every entry a report carries: spec versions of `/versions`, extra keys
 * of the client document, support contacts, certificate names, key ids. Real lists are a few entries long.
 */
export const REMOTE_LIST_LIMIT = 64;

/**
 * The markers of a cut: `bytes` after a cut string (what was kept is a prefix of a string this long), `entries` as the
 * last entry of a cut list. The report keeps them in English (its data, the same in every language); a hint in another
 * language says them again (src/diagnosis/rules/cut-words.ts reads them back with these messages).
 */
const cutEn = {
  bytes: (p: { bytes: number }) => `… (cut: ${p.bytes} bytes in all)`,
  entries: (p: { count: number }) => `… (cut: ${p.count} entries in all)`,
} satisfies Catalogue;

const cutZh: Translation<typeof cutEn> = {
  bytes: (p) => `…（已截断，共 ${p.bytes} 字节）`,
  entries: (p) => `…（已截断，共 ${p.count} 项）`,
};

/** The cut markers in every language (tested for completeness in test/i18n/cut-words.test.ts). */
export const CUT_MARKER_TEXTS: Translations<typeof cutEn> = { en: cutEn, 'zh-CN': cutZh };

/** The marker appended to a cut string: what was kept is a prefix of a string this long. */
function cutMarker(value: string): string {
  return cutEn.bytes({ bytes: Buffer.byteLength(value, 'utf8') });
}

/** A string that already ends with the marker. */
const CUT_MARKER = /… \(cut: \d+ bytes in all\)$/;

/**
 * `value` when it is at most `maxChars` long; else its first `maxChars` characters followed by
 * `… (cut: N bytes in all)`, N being the UTF-8 size of the whole value. A surrogate pair is never split.
 * A string already cut to this bound (or a smaller one) is returned as it is, so bounding twice changes nothing.
 *
 * @example
 * ```ts
 * boundRemoteText('x'.repeat(500_000), 256); // 'xxx…x… (cut: 500000 bytes in all)' (256 x)
 * ```
 */
export function boundRemoteText(value: string, maxChars: number): string {
  if (value.length <= maxChars) return value;
  // Already cut to this bound or a smaller one: cutting again would only lose the original size.
  const marked = CUT_MARKER.exec(value);
  if (marked !== null && marked.index <= maxChars) return value;
  let end = maxChars;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}${cutMarker(value)}`;
}

/** {@link boundRemoteText} that passes null through. */
export function boundRemoteTextOrNull(value: string | null, maxChars: number): string | null {
  return value === null ? null : boundRemoteText(value, maxChars);
}

/**
 * The first `maxItems` entries of a remote list (all of them when it is shorter), with how many were left out,
 * for the caller to say so where the list is reported.
 */
export function boundRemoteList<T>(
  items: readonly T[],
  maxItems: number = REMOTE_LIST_LIMIT,
): { readonly items: T[]; readonly omitted: number } {
  return items.length <= maxItems
    ? { items: [...items], omitted: 0 }
    : { items: items.slice(0, maxItems), omitted: items.length - maxItems };
}

/**
 * The first `maxItems` strings of a remote list, each bounded to `maxChars`; when entries were left out, a last
 * entry says so: `… (cut: N entries in all)`.
 *
 * @example
 * ```ts
 * boundRemoteStringList(certificate.dnsNames, REMOTE_LIST_LIMIT, REMOTE_TEXT_LIMITS.name);
 * ```
 */
export function boundRemoteStringList(
  items: readonly string[],
  maxItems: number = REMOTE_LIST_LIMIT,
  maxChars: number = REMOTE_TEXT_LIMITS.name,
): string[] {
  const { items: kept, omitted } = boundRemoteList(items, maxItems);
  const bounded = kept.map((item) => boundRemoteText(item, maxChars));
  return omitted === 0 ? bounded : [...bounded, cutEn.entries({ count: items.length })];
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * `value` with every string in it (object keys included) bounded by {@link boundRemoteText}: an array or plain object
 * holding a string to cut is copied (and so is each one on the way to it), everything else is kept as it is, shared
 * with `value`. The checker applies it to a whole report, so that a field whose reader forgot its own bound still cannot
 * carry megabytes; a report with nothing to cut (nearly all of them) comes back as it is, without a copy to make and
 * collect (issue 19).
 *
 * @example
 * ```ts
 * const bounded = boundRemoteStrings(report, REMOTE_TEXT_LIMITS.any);
 * ```
 */
export function boundRemoteStrings<T>(value: T, maxChars: number): T {
  return boundDeep(value, maxChars) as T;
}

function boundDeep(value: unknown, maxChars: number): unknown {
  if (typeof value === 'string') return boundRemoteText(value, maxChars);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      const bounded = boundDeep(child, maxChars);
      if (copy === undefined && bounded !== child) copy = value.slice(0, i);
      copy?.push(bounded);
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const child = record[key];
    const boundedKey = boundRemoteText(key, maxChars);
    const bounded = boundDeep(child, maxChars);
    if (copy === undefined && (boundedKey !== key || bounded !== child)) {
      copy = {};
      for (let j = 0; j < i; j++) defineEntry(copy, keys[j]!, record[keys[j]!]);
    }
    if (copy !== undefined) defineEntry(copy, boundedKey, bounded);
  }
  return copy ?? value;
}

/** defineProperty: a remote key such as "__proto__" stays an ordinary own property. */
function defineEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
