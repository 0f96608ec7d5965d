// Helpers that show user input inside error messages safely (quoted, escaped, truncated).

const MAX_SHOWN_CHARS = 80;

/**
 * Quotes `text` for a message: JSON-escaped so control characters and line breaks are visible, and cut
 * after 80 characters so a huge input cannot flood a log.
 */
export function quote(text: string): string {
  const chars = Array.from(text);
  const shown = chars.length > MAX_SHOWN_CHARS ? `${chars.slice(0, MAX_SHOWN_CHARS).join('')}…` : text;
  return JSON.stringify(shown);
}

/** Names one character for a message, e.g. `"_" (U+005F)` or `a line break (U+000A)`. */
export function describeChar(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0;
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = CHAR_NAMES.get(codePoint);
  return name === undefined ? `${JSON.stringify(char)} (${hex})` : `${name} (${hex})`;
}

const CHAR_NAMES = new Map<number, string>([
  [0x09, 'a tab'],
  [0x0a, 'a line break'],
  [0x0b, 'a vertical tab'],
  [0x0c, 'a form feed'],
  [0x0d, 'a carriage return'],
  [0x20, 'a space'],
  [0xa0, 'a non-breaking space'],
  [0x7f, 'a DEL control character'],
  [0xfeff, 'a byte-order mark'],
]);
