// Test helper: what a Chinese sentence said again from a check's English one must show, and must not carry.

/** Han characters. */
export const HAN = /\p{Script=Han}/u;

/**
 * Runs of three or more English words in a Chinese text, outside what is data: double-quoted values, URLs, code in
 * braces, the system's own text marked 系统原文 and a check's own words marked 检查结果（原文）. A run left is an English
 * sentence of ours said in English inside the Chinese one.
 */
export function englishRuns(text: string): string[] {
  const data = text
    .replace(/（系统原文：[^）]*）/g, ' ')
    .replace(/检查结果（原文）：[\s\S]*$/, ' ')
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\{[^}]*\}/g, ' ');
  return [...data.matchAll(/[A-Za-z][\w'-]*(?:[ ,]+[A-Za-z][\w'-]*){2,}/g)].map((m) => m[0]);
}

/** A Han character touching a Latin letter or digit (the house style puts a space between them). */
export function unspaced(text: string): string | null {
  return /\p{Script=Han}[A-Za-z0-9]|[A-Za-z0-9]\p{Script=Han}/u.exec(text)?.[0] ?? null;
}

/**
 * The values of an English key or endpoint sentence that a translation must show unchanged: quoted values (names,
 * key ids, members), key ids, code points, ISO dates, JSON paths and every number. The spec's template
 * `"<unpadded base64>"` is words, not a value.
 */
export function sentenceValues(english: string): string[] {
  const pattern =
    /"(?:[^"\\]|\\.)*"|ed25519:\w+|U\+[0-9A-F]{4,}|\d{4}-\d\d-\d\dT[\d:.]+Z|\$[^\s,)]*|https?:\/\/[^\s"',;)]+|\d+/g;
  return [...new Set([...english.matchAll(pattern)].map((m) => m[0]))].filter((v) => v !== '"<unpadded base64>"');
}
