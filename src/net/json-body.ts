// Reads a response body as JSON (UTF-8, byte order mark, empty body, HTML instead of JSON) and names JSON types in messages.

import { NET_ERROR_EN as SAY } from './net-error-texts.js';

/** The UTF-8 encoding of U+FEFF, the byte order mark: RFC 8259 §8.1 forbids sending it before JSON text. */
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** True when `body` starts with the UTF-8 byte order mark (bytes EF BB BF). */
export function hasUtf8Bom(body: Uint8Array): boolean {
  return body.length >= 3 && body[0] === UTF8_BOM[0] && body[1] === UTF8_BOM[1] && body[2] === UTF8_BOM[2];
}

/** A body read as JSON: the value, or why it is not JSON. */
export type JsonBodyRead =
  | { readonly ok: true; readonly value: unknown; readonly hasBom: boolean; readonly looksLikeHtml: false }
  | {
      readonly ok: false;
      readonly reason: 'empty' | 'not-utf8' | 'invalid-json';
      /** Plain words about the body ("the body is not valid JSON (...)"). */
      readonly message: string;
      /** The JSON parser's own words, for `invalid-json` (to word a message about a particular document). */
      readonly syntaxError?: string;
      readonly hasBom: boolean;
      /** The text starts with `<` (after white space): an HTML page served where JSON was expected. */
      readonly looksLikeHtml: boolean;
    };

/**
 * Reads a body as JSON whatever its Content-Type. The text must be UTF-8 (a fatal decoder: no replacement
 * characters). A leading byte order mark is skipped, as browsers' `response.json()` does, and reported in `hasBom`,
 * so that a caller that must refuse it (Synapse refuses it in `/.well-known/matrix/server`) can. A body that is not
 * JSON and starts with `<` is flagged as HTML.
 *
 * @example
 * ```ts
 * const read = readJsonBody(new TextEncoder().encode('{"m.server": "matrix.example.org:443"}'));
 * if (read.ok && isJsonObject(read.value)) console.log(read.value['m.server']);
 * ```
 */
export function readJsonBody(body: Uint8Array): JsonBodyRead {
  const hasBom = hasUtf8Bom(body);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(hasBom ? body.subarray(3) : body);
  } catch {
    return { ok: false, reason: 'not-utf8', message: SAY.bodyNotUtf8, hasBom, looksLikeHtml: false };
  }
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty', message: SAY.bodyEmpty, hasBom, looksLikeHtml: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, hasBom, looksLikeHtml: false };
  } catch (error) {
    const syntaxError = (error as Error).message;
    return {
      ok: false,
      reason: 'invalid-json',
      message: SAY.bodyNotJson({ parser: syntaxError }),
      syntaxError,
      hasBom,
      looksLikeHtml: trimmed.startsWith('<'),
    };
  }
}

/** A JSON object: not null, not an array (what `{...}` parses to). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A parsed JSON value's type for a sentence: `null`, `an array`, `an object`, `a string`, `a number`, `a boolean`. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
