// Makes text safe to print on a terminal: control, bidi and other invisible characters from remote data shown as escapes.

/**
 * The characters a terminal (or a reader) would not show as themselves: every control character (C0 with TAB,
 * LF and CR, DEL, C1), every format character (the bidi embeddings, overrides and isolates U+202A-U+202E and
 * U+2066-U+2069, the marks U+200E/U+200F, zero-width characters, the BOM, tag characters), the line and
 * paragraph separators U+2028/U+2029, and lone surrogates. ESC starts colour codes, titles (OSC 0), hyperlinks
 * (OSC 8) and screen clears; BEL ends OSC sequences; CR returns to the start of the line to overwrite it; C1
 * U+009B is a one-character CSI on some terminals; bidi overrides make text read in another order than it is.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Same, without LF: for texts whose line breaks are ours (a config block, a stack trace). */
const UNSAFE_KEEPING_LF = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(char: string): string {
  const short = SHORT_ESCAPES[char];
  if (short !== undefined) return short;
  const code = char.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/**
 * `text` with every character a terminal would act on or not show (see above) replaced by a visible escape:
 * `\n`, `\r`, `\t`, `\x1b` (other C0, DEL and C1 as `\xHH`), `\u202e` (other BMP characters), `\u{e0041}`.
 * Backslashes are left as they are, so escaping twice changes nothing (a remote string that already contains
 * the text `\x1b` shows the same; it is harmless either way). Every human renderer of remote data goes through
 * this, by way of {@link terminalSafe} at its entry.
 *
 * @example
 * ```ts
 * escapeTerminalText('1.0\r\nPASS'); // '1.0\\r\\nPASS'
 * escapeTerminalText('\x1b]0;pwned\x07'); // '\\x1b]0;pwned\\x07'
 * ```
 */
export function escapeTerminalText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * `text` escaped (see {@link escapeTerminalText}) between double quotes, for values shown inside a sentence.
 * Unlike `JSON.stringify`, quoting text that is already escaped gives the same result.
 */
export function quoteTerminalText(text: string): string {
  return `"${escapeTerminalText(text)}"`;
}

/** {@link escapeTerminalText} that keeps line feeds: for multi-line texts whose line breaks are our own. */
export function escapeTerminalLines(text: string): string {
  return text.replace(UNSAFE_KEEPING_LF, escapeChar);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` with every string in it, object keys included, passed through {@link escapeTerminalText}:
 * arrays and plain objects are copied, other values are returned as they are. Renderers of human text call it
 * on their whole input before anything is formatted or coloured, so no field of a report (today's or one added
 * later) can reach the terminal unescaped, while the renderer's own colour codes and line breaks, added after,
 * stay intact.
 *
 * @example
 * ```ts
 * const safe = terminalSafe(report);
 * out.push(`Server version: ${safe.version.name}`);
 * ```
 */
export function terminalSafe<T>(value: T): T {
  return deepEscape(value) as T;
}

function deepEscape(value: unknown): unknown {
  if (typeof value === 'string') return escapeTerminalText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(deepEscape);
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    // defineProperty: a key such as "__proto__" from a remote document stays an ordinary own property.
    Object.defineProperty(copy, escapeTerminalText(key), {
      value: deepEscape(child),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** Characters JSON.stringify leaves raw that a terminal may still act on or hide: DEL, C1, format characters. */
const JSON_UNSAFE = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * `JSON.stringify(value, null, indent)` for a terminal: the same JSON value, with DEL, C1 and the format
 * characters (bidi overrides, zero-width characters) written as `\uXXXX` escapes too (JSON.stringify already
 * escapes C0, ESC included). They can only occur inside strings, where the escape means the same character,
 * so a program reading the output sees exactly the same data.
 *
 * @example
 * ```ts
 * io.stdout(terminalJson(toNativeJson(report), 2) + '\n');
 * ```
 */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (char) => {
    const code = char.codePointAt(0) ?? 0;
    // Format characters above the BMP (tag characters) are written as their surrogate pair, as JSON requires.
    const unit = (i: number): string => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return code <= 0xffff ? unit(0) : `${unit(0)}${unit(1)}`;
  });
}

/**
 * Characters a terminal shows two columns wide (East Asian Wide and Fullwidth, Unicode UAX #11): Han, kana, Hangul,
 * CJK and fullwidth punctuation, and the supplementary ideographic planes.
 */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/**
 * How many terminal columns `text` takes: two for a wide character (a Chinese one), one for any other. For text
 * without escape codes (pad before colouring).
 *
 * @example
 * ```ts
 * displayWidth('地址'); // 4
 * ```
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

/**
 * `text` followed by spaces up to `width` terminal columns (see {@link displayWidth}): `padEnd` for text with
 * Chinese characters, which take two columns each.
 *
 * @example
 * ```ts
 * padDisplay('地址', 7); // '地址   '
 * ```
 */
export function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
