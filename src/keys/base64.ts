// Unpadded base64 (spec appendix "Unpadded Base64"): the encoding of every key and signature in Matrix JSON.

import { keyCheckEnglish as say } from './key-check-texts.js';

/** The alphabet a decoded base64 string used. */
export type Base64Alphabet = 'standard' | 'url-safe';

/** Why {@link parseBase64} refused a string. */
export type Base64ErrorReason =
  'not-a-string' | 'invalid-character' | 'mixed-alphabets' | 'invalid-length' | 'invalid-padding';

/** The result of {@link parseBase64}. */
export type Base64ParseResult =
  | {
      readonly ok: true;
      readonly bytes: Uint8Array;
      /** `url-safe` when the text used `-` or `_` (not the spec's alphabet, but Synapse accepts it). */
      readonly alphabet: Base64Alphabet;
      /** True when the text carried `=` padding (allowed by the spec's "decoders SHOULD accept padding"). */
      readonly padded: boolean;
    }
  | { readonly ok: false; readonly reason: Base64ErrorReason; readonly message: string };

/** Options of {@link decodeBase64} and {@link parseBase64}. */
export interface Base64DecodeOptions {
  /**
   * Also accept the URL-safe alphabet (`-` and `_` instead of `+` and `/`), RFC 4648 section 5. Default
   * `false`: the spec says "standard" base64. A string may not mix the two alphabets.
   */
  readonly allowUrlSafe?: boolean;
}

const STANDARD = /^[A-Za-z0-9+/]*$/;
const URL_SAFE = /^[A-Za-z0-9_-]*$/;
const ANY_ALPHABET = /^[A-Za-z0-9+/_-]*$/;

/**
 * Encodes bytes as unpadded standard base64, the form the spec requires for binary values in JSON.
 *
 * @example
 * ```ts
 * encodeUnpaddedBase64(new TextEncoder().encode('fo')); // 'Zm8'
 * ```
 */
export function encodeUnpaddedBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

/**
 * Strictly parses standard base64, padded or unpadded, and says which form it was. Never throws.
 *
 * Node's `Buffer.from(text, 'base64')` silently skips characters outside the alphabet and accepts both
 * alphabets; a signature checker must not "fix" a malformed key that way, so the text is validated first:
 * - only `A-Z a-z 0-9 + /` (and `- _` when {@link Base64DecodeOptions.allowUrlSafe} is set, never mixed
 *   with `+ /`); no whitespace or line breaks;
 * - padding, when present, must complete the text to a multiple of 4 (`Zg==`, not `Zg=`); without padding
 *   the length modulo 4 must not be 1 (no whole byte fits in one character);
 * - non-zero leftover bits in the last character (`Zh` for `f`) are accepted, as Python's and Go's
 *   decoders (Synapse, gomatrixserverlib) accept them, so the checker does not fail keys those servers use.
 *
 * @example
 * ```ts
 * parseBase64('Zm8='); // { ok: true, bytes: Uint8Array [0x66, 0x6f], alphabet: 'standard', padded: true }
 * parseBase64('Zm 8'); // { ok: false, reason: 'invalid-character', message: ... }
 * ```
 */
export function parseBase64(text: unknown, options: Base64DecodeOptions = {}): Base64ParseResult {
  if (typeof text !== 'string')
    return fail('not-a-string', say('base64.notString', { type: text === null ? 'null' : typeof text }));
  const body = text.replace(/={1,2}$/, '');
  const padded = body.length !== text.length;
  const allowUrlSafe = options.allowUrlSafe === true;
  let alphabet: Base64Alphabet = 'standard';
  if (!STANDARD.test(body)) {
    if (allowUrlSafe && URL_SAFE.test(body)) {
      alphabet = 'url-safe';
    } else if (allowUrlSafe && ANY_ALPHABET.test(body)) {
      return fail('mixed-alphabets', say('base64.mixed'));
    } else {
      const bad = [...body].find((c) => !(allowUrlSafe ? ANY_ALPHABET : STANDARD).test(c)) ?? '';
      return fail('invalid-character', say('base64.character', { character: describeCharacter(bad) }));
    }
  }
  if (padded ? text.length % 4 !== 0 : body.length % 4 === 1) {
    return padded
      ? fail('invalid-padding', say('base64.padding'))
      : fail('invalid-length', say('base64.length', { length: String(body.length) }));
  }
  // Validated above, so Node's lenient decoder sees only clean input (it accepts both alphabets, unpadded).
  const decoded = Buffer.from(body, 'base64');
  const bytes = new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  return { ok: true, bytes, alphabet, padded };
}

/**
 * Decodes standard base64, padded or unpadded (spec: "implementations SHOULD accept input with or without
 * padding"), strictly as {@link parseBase64}. Returns `null` for anything that is not valid base64; never
 * throws.
 *
 * URL-safe text is refused unless `allowUrlSafe` is set: the spec's alphabet is the standard one. Synapse's
 * decoder (python `unpaddedbase64` >= 1.1) and gomatrixserverlib do accept URL-safe text, so the key checks
 * accept it too and report the alphabet.
 *
 * @example
 * ```ts
 * decodeBase64('Zm9vYg');   // Uint8Array of 'foob'
 * decodeBase64('Zm9vYg=='); // the same
 * decodeBase64('Zm9v!');    // null
 * ```
 */
export function decodeBase64(text: string, options: Base64DecodeOptions = {}): Uint8Array | null {
  const result = parseBase64(text, options);
  return result.ok ? result.bytes : null;
}

function fail(reason: Base64ErrorReason, message: string): Base64ParseResult {
  return { ok: false, reason, message };
}

function describeCharacter(c: string): string {
  const codePoint = c.codePointAt(0) ?? 0;
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return codePoint > 0x20 && codePoint < 0x7f ? `"${c}" (${hex})` : hex;
}
