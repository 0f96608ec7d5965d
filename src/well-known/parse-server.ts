// Parses the body of /.well-known/matrix/server into a validated `m.server` (spec server-server API, "Server discovery").

import type { ErrorCode } from '../errors.js';
import { isJsonObject, jsonTypeName, readJsonBody } from '../net/json-body.js';
import { parseServerName, type ServerName } from '../server-name/index.js';
import { WELL_KNOWN_ERROR_EN as SAY } from './well-known-error-texts.js';

/** Why a `/.well-known/matrix/server` body is not a usable delegation. */
export type WellKnownServerParseCode = Extract<
  ErrorCode,
  'WELL_KNOWN_INVALID_JSON' | 'WELL_KNOWN_NOT_OBJECT' | 'WELL_KNOWN_MISSING_M_SERVER' | 'WELL_KNOWN_INVALID_M_SERVER'
>;

/** The result of {@link parseWellKnownServer}. */
export type WellKnownServerParseResult =
  | {
      readonly ok: true;
      /** The `m.server` string exactly as sent. */
      readonly mServer: string;
      readonly serverName: ServerName;
      readonly hasBom: false;
    }
  | {
      readonly ok: false;
      readonly code: WellKnownServerParseCode;
      /** Plain words: what is wrong with the document and how to fix it. */
      readonly detail: string;
      /** The `m.server` string when there was one (it failed the server-name grammar), else null. */
      readonly mServer: string | null;
      /** True when the body starts with a UTF-8 byte order mark. */
      readonly hasBom: boolean;
    };

/**
 * Parses a `/.well-known/matrix/server` body: `{"m.server": "<host>[:<port>]"}`.
 *
 * Decisions (spec: any unparseable JSON, non-object or missing/non-string `m.server` means "no delegation"):
 * - The body is read as JSON whatever the Content-Type (the spec says so); the caller records the type.
 * - It must be UTF-8. A leading byte order mark makes the body invalid: RFC 8259 forbids sending one and
 *   Synapse's decoder rejects it, so accepting it here would predict a delegation Synapse does not see.
 *   `hasBom` lets a checker say exactly that.
 * - Other members are ignored. `m.server` must pass the server-name grammar (spec appendix "Server Name"):
 *   our stricter rule, so that `https://example.org` or `example.org/` are reported as invalid here instead of
 *   failing later in DNS.
 *
 * @example
 * ```ts
 * parseWellKnownServer(new TextEncoder().encode('{"m.server": "matrix.example.org:443"}'));
 * // { ok: true, mServer: 'matrix.example.org:443', serverName: { host: 'matrix.example.org', kind: 'dns', port: 443 }, hasBom: false }
 * ```
 */
export function parseWellKnownServer(body: Uint8Array): WellKnownServerParseResult {
  const read = readJsonBody(body);
  const hasBom = read.hasBom;
  const fail = (
    code: WellKnownServerParseCode,
    detail: string,
    mServer: string | null = null,
  ): WellKnownServerParseResult => ({
    ok: false,
    code,
    detail,
    mServer,
    hasBom,
  });
  if (hasBom) {
    return fail('WELL_KNOWN_INVALID_JSON', SAY.bom);
  }
  if (!read.ok) {
    if (read.reason === 'not-utf8') return fail('WELL_KNOWN_INVALID_JSON', SAY.notUtf8);
    if (read.reason === 'empty') return fail('WELL_KNOWN_INVALID_JSON', SAY.empty);
    return fail('WELL_KNOWN_INVALID_JSON', SAY.notJson({ parser: read.syntaxError ?? '' }));
  }
  const value = read.value;
  if (!isJsonObject(value)) {
    return fail('WELL_KNOWN_NOT_OBJECT', SAY.notObject({ type: jsonTypeName(value) }));
  }
  if (!Object.hasOwn(value, 'm.server')) {
    return fail('WELL_KNOWN_MISSING_M_SERVER', SAY.noMServer);
  }
  const mServer = value['m.server'];
  if (typeof mServer !== 'string') {
    return fail('WELL_KNOWN_INVALID_M_SERVER', SAY.mServerNotString({ type: jsonTypeName(mServer) }));
  }
  const parsed = parseServerName(mServer);
  if (!parsed.ok) {
    return fail('WELL_KNOWN_INVALID_M_SERVER', SAY.mServerInvalid({ inner: parsed.error.message }), mServer);
  }
  return { ok: true, mServer, serverName: parsed.value, hasBom: false };
}
