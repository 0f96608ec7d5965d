// Test helper: what a Chinese sentence said again from a check's English one must show, and must not carry.

import { valuesOf } from '../../src/diagnosis/text.js';

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

/**
 * The values an English hint shows that the admin acts on, which the Chinese one must show too: URLs, IPv6 (bracketed,
 * or with "::") and IPv4 addresses, host names (with their port), and port-like numbers (ports, statuses, sizes).
 */
export function values(text: string): string[] {
  const pattern =
    /https?:\/\/[^\s"'<>，。；：（）、“”]+|\[[0-9a-f:.]+\](?::\d+)?|(?<![\w:])[0-9a-f]*::[0-9a-f:]*(?![\w:])|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?|\b(?:[a-z0-9_-]+\.)+[a-z]{2,}(?::\d+)?\b|\b\d{3,5}\b/gi;
  return [...new Set([...text.matchAll(pattern)].map((m) => m[0].replace(/[.,;:)]+$/, '')))];
}

/** Words of English prose: a run of Latin words holding one is a sentence, not code, a header or a product's name. */
const PROSE_WORDS = new Set(
  'a an the is are was were be been not no and or of to in on for with by from as at has have had does did do will would should must can cannot could may this that it its there which when than but only so'.split(
    ' ',
  ),
);

/**
 * English sentences in a Chinese text: runs of three or more Latin words with a word of prose among them, outside what
 * a hint quotes as it is (quoted values, URLs, code in backticks) and outside a system's own words, which are marked
 * （系统原文：…） (or （检查结果（原文）：…） for a check's sentence no catalogue form reads), as CONTRIBUTING says.
 */
export function englishProse(text: string): string[] {
  const rest = text
    .replace(/（系统原文：[^）]*）|（检查结果（原文）：[^）]*）/g, ' ')
    .replace(/"[^"]*"|“[^”]*”|`[^`]*`|https?:\/\/\S+/g, ' ');
  return [...rest.matchAll(/(?:[A-Za-z][A-Za-z'-]*[ ,;:]+){2,}[A-Za-z][A-Za-z'-]*/g)]
    .map((m) => m[0])
    .filter((run) => run.split(/[ ,;:]+/).some((word) => PROSE_WORDS.has(word.toLowerCase())));
}

const SYSTEM_MARK = '（系统原文：';

/**
 * The text without what may stay Latin: the marked system text (skipped to its matching full-width parenthesis, as
 * the system's words may hold parentheses of their own), URLs, quoted values, JSON in braces and hex bytes.
 */
export function withoutData(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith(SYSTEM_MARK, i)) {
      let depth = 0;
      for (; i < text.length; i++) {
        if (text[i] === '（') depth++;
        else if (text[i] === '）' && --depth === 0) break;
      }
      i++;
      continue;
    }
    out += text[i];
    i++;
  }
  return out
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/"[^"]*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(?:[0-9A-F]{2} )+[0-9A-F]{2}\b/g, ' ');
}

/**
 * What is wrong with a Chinese saying of an English error sentence (nothing: an empty list): no Han, a value of the
 * English one lost (`valuesOf`, the diagnosis's own list of what an admin acts on), or a run of three English words
 * outside the data.
 */
export function sayingProblems(english: string, chinese: string): string[] {
  const found: string[] = [];
  if (!HAN.test(chinese)) found.push(`no Chinese: ${chinese}`);
  for (const value of valuesOf(english).map((v) => v.replace(/\)+$/, '')))
    if (!chinese.includes(value)) found.push(`lost ${value}: ${chinese}`);
  const run = /[A-Za-z][A-Za-z'-]*(?:[ ,]+[A-Za-z][A-Za-z'-]*){2,}/.exec(withoutData(chinese));
  if (run !== null) found.push(`English run "${run[0]}": ${chinese}`);
  return found;
}
