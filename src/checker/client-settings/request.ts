// One request of the client settings check, through the check's transport: its outcome as a report entry, and its body.

import type { SettingRequest } from '../../check-report/client-settings.js';
import { REMOTE_TEXT_LIMITS, boundRemoteText, boundRemoteTextOrNull } from '../../remote-text.js';
import { fetchHttpsDocument } from '../../well-known/fetch-document.js';
import type { WellKnownDocumentOptions } from '../../well-known/types.js';
import { CLIENT_SETTING_MESSAGES as M } from './messages.js';

/** What every request of the settings check shares: the check's transport and the Origin a web client sends. */
export interface SettingsContext {
  /**
   * The document check's transport (DNS, address policy, CA, per-request time limit, signal): every request of the
   * settings goes through it, as the base URL checks do.
   */
  readonly transport: WellKnownDocumentOptions;
  /** The `Origin` sent, as a web client on another site would send it. */
  readonly origin: string;
  /** `m.homeserver.base_url` when it is an https URL (without trailing slashes), else null. */
  readonly homeserverBase: string | null;
}

/**
 * Statuses a homeserver answers for a client-server endpoint it does not have (`M_UNRECOGNIZED` is 404, or 405 for a
 * known path; some answer 400): the endpoint is not offered.
 */
export const NOT_OFFERED_STATUSES: ReadonlySet<number> = new Set([400, 404, 405]);

/** A request's outcome with the body of a 200 (null otherwise, or when larger than asked). */
export interface SettingAnswer {
  readonly request: SettingRequest;
  readonly body: Uint8Array | null;
  /** Every response header, names lowercase (empty when no answer came). */
  readonly headers: Readonly<Record<string, string>>;
  /** The answer was 200 but its body was larger than `maxBodyBytes` (so it was not read). */
  readonly tooLarge: boolean;
}

/** Options of one request. */
export interface SettingRequestOptions {
  readonly method?: 'GET' | 'OPTIONS';
  readonly headers?: Readonly<Record<string, string>>;
  /** The most of a 200 body read. */
  readonly maxBodyBytes: number;
  /**
   * Port for a URL without one: 443 (as clients dial) unless told; the Jitsi domain, a bare host like the server
   * name's, is dialled on the transport's port (443, or the lab's).
   */
  readonly port?: number;
}

/**
 * Requests `url` through the check's transport: DNS and the address policy on every hop, the check's time limit and
 * signal, redirects for a GET (never for a preflight, which browsers do not redirect). Never rejects for remote
 * faults; rejects when the check's signal aborts.
 */
export async function requestSetting(
  url: URL,
  context: SettingsContext,
  options: SettingRequestOptions,
): Promise<SettingAnswer> {
  const method = options.method ?? 'GET';
  const result = await fetchHttpsDocument(url, {
    ...context.transport,
    port: options.port ?? 443,
    maxBodyBytes: options.maxBodyBytes,
    method,
    headers: { origin: context.origin, ...options.headers },
    ...(method === 'OPTIONS' ? { followRedirects: false } : {}),
  });
  const tooLarge = result.code === 'WELL_KNOWN_TOO_LARGE' && result.httpStatus === 200;
  const answered = result.outcome === 'response' || tooLarge;
  return {
    request: {
      url: boundRemoteText(result.url, REMOTE_TEXT_LIMITS.url),
      method,
      httpStatus: result.httpStatus,
      allowOrigin: boundRemoteTextOrNull(
        result.headers['access-control-allow-origin'] ?? null,
        REMOTE_TEXT_LIMITS.name,
      ),
      error: answered
        ? null
        : {
            code: result.code ?? 'HTTP_ERROR',
            message: boundRemoteText(result.detail, REMOTE_TEXT_LIMITS.message),
          },
    },
    body: result.outcome === 'response' ? result.body : null,
    headers: result.headers,
    tooLarge,
  };
}

/** Why a request gave no usable 200, in words (its network failure, or its status), or null when it did. */
export function failureOf(request: SettingRequest): string | null {
  if (request.error !== null) return M.noAnswer({ code: request.error.code, detail: request.error.message });
  if (request.httpStatus !== 200) return M.status({ status: request.httpStatus ?? 0 });
  return null;
}

/** True when `Access-Control-Allow-Origin` lets a page on any site (or on the probe's origin) read the answer. */
export function corsAllows(request: SettingRequest, origin: string): boolean {
  const value = request.allowOrigin?.trim();
  return value === '*' || value === origin;
}

/** A remote value quoted for a message, bounded (a name, or a URL). */
export function quote(value: unknown, kind: 'name' | 'url' = 'name'): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(boundRemoteText(text, REMOTE_TEXT_LIMITS[kind]));
}

/** The https URL of a setting without trailing slashes, or null when it is not one (faults are reported elsewhere). */
export function parseHttpsUrl(text: unknown): URL | null {
  if (typeof text !== 'string') return null;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname !== '' ? url : null;
  } catch {
    return null;
  }
}
