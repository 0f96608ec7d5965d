// Says the report's cut markers (`… (cut: N bytes in all)`) again in a hint's language, wherever a hint shows a cut value.

import { localize, type Locale } from '../../i18n/index.js';
import { CUT_MARKER_TEXTS } from '../../remote-text.js';

type CutForm = keyof (typeof CUT_MARKER_TEXTS)['en'] & string;

const SLOT = '\u0000';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A marker's English message, given its one value. */
function english(form: CutForm): (p: Readonly<Record<string, string | number>>) => string {
  return CUT_MARKER_TEXTS.en[form] as unknown as (p: Readonly<Record<string, string | number>>) => string;
}

/** Each marker's pattern, unanchored (a marker ends a value, and a value may sit anywhere in a hint's text). */
const MARKERS: readonly { readonly form: CutForm; readonly param: string; readonly pattern: RegExp }[] = (
  [
    ['bytes', 'bytes'],
    ['entries', 'count'],
  ] as const
).map(([form, param]) => {
  const sample = english(form)({ [param]: SLOT });
  const source = sample.split(SLOT).map(escapeRegExp).join('(\\d+)');
  return { form, param, pattern: new RegExp(source, 'g') };
});

/**
 * `text` with every cut marker the report's bounds wrote (src/remote-text.ts: `… (cut: N bytes in all)` after a cut
 * string, `… (cut: N entries in all)` ending a cut list) said in `locale` (`…（已截断，共 N 字节）`); what was kept of
 * the value is left as it is. A marker is replaced only when the English message, given the number read, writes it
 * again byte for byte. English: `text` unchanged.
 *
 * @example
 * ```ts
 * cutWords('ed25519:aaaa… (cut: 5000 bytes in all)', 'zh-CN'); // 'ed25519:aaaa…（已截断，共 5000 字节）'
 * ```
 */
export function cutWords(text: string, locale: Locale): string {
  if (locale === 'en' || !text.includes('(cut: ')) return text;
  const say = localize(CUT_MARKER_TEXTS, locale) as unknown as (key: CutForm, p: Record<string, number>) => string;
  let out = text;
  for (const { form, param, pattern } of MARKERS) {
    out = out.replace(pattern, (marker, n: string) => {
      const value = Number(n);
      return english(form)({ [param]: value }) === marker ? say(form, { [param]: value }) : marker;
    });
  }
  return out;
}

/** True when `text` ends with a cut marker: a value (or sentence) cut by the report's bounds. */
export function isCut(text: string): boolean {
  return MARKERS.some(({ pattern }) => new RegExp(`${pattern.source}$`).test(text));
}
