// Test helper: lab hosts that behave like what admins put in front of homeservers (a CDN, bot protection, proxies).

import type { LabHandler, LabRequest, LabResponse } from '../../src/testing/index.js';
import { NGINX_404 } from './homeserver.js';

/** The headers Cloudflare's proxy adds to every answer it passes on. */
export const CLOUDFLARE_HEADERS = { server: 'cloudflare', 'cf-ray': '8f1c2d3e4a5b6c7d-AMS' } as const;

async function answer(handler: LabHandler, req: LabRequest): Promise<LabResponse> {
  return typeof handler === 'function' ? await handler(req) : handler;
}

/** Every route of `routes` with `headers` added to its answers. */
export function withHeaders(
  routes: Readonly<Record<string, LabHandler>>,
  headers: Readonly<Record<string, string>>,
): Record<string, LabHandler> {
  return Object.fromEntries(
    Object.entries(routes).map(([key, handler]) => [
      key,
      async (req: LabRequest): Promise<LabResponse> => {
        const res = await answer(handler, req);
        return { ...res, headers: { ...res.headers, ...headers } };
      },
    ]),
  );
}

/** What Cloudflare's bot protection answers a client it takes for a robot: a 403 JavaScript challenge page. */
export const CHALLENGE: LabResponse = {
  status: 403,
  body: '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body>Enable JavaScript and cookies to continue</body></html>',
  headers: { 'content-type': 'text/html; charset=UTF-8', 'cf-mitigated': 'challenge', ...CLOUDFLARE_HEADERS },
};

/** True for a browser's User-Agent ("Mozilla/5.0 ..."), which bot protections let through. */
function looksLikeBrowser(req: LabRequest): boolean {
  return /^Mozilla\//.test(String(req.headers['user-agent'] ?? ''));
}

/** Every route of `routes` behind bot protection: robots (anything but a browser's User-Agent) get the challenge. */
export function behindBotProtection(routes: Readonly<Record<string, LabHandler>>): Record<string, LabHandler> {
  return Object.fromEntries(
    Object.entries(routes).map(([key, handler]) => [
      key,
      (req: LabRequest): Promise<LabResponse> | LabResponse =>
        looksLikeBrowser(req) ? answer(handler, req) : CHALLENGE,
    ]),
  );
}

/** Every route of `routes` only for the Host header `host` exactly (an HAProxy `hdr(host) -i` rule); nginx's 404 otherwise. */
export function forHostExactly(routes: Readonly<Record<string, LabHandler>>, host: string): Record<string, LabHandler> {
  return Object.fromEntries(
    Object.entries(routes).map(([key, handler]) => [
      key,
      (req: LabRequest): Promise<LabResponse> | LabResponse => (req.host === host ? answer(handler, req) : NGINX_404),
    ]),
  );
}

/** The homeserver's answer to a federation request without a signature: 401, whatever the path's parameters. */
const UNAUTHORIZED: LabResponse = {
  status: 401,
  json: { errcode: 'M_UNAUTHORIZED', error: 'Missing Authorization headers' },
};
const UNRECOGNIZED: LabResponse = { status: 404, json: { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' } };

/**
 * What a homeserver answers for paths it has no canned route for: federation requests need a signature (401), the
 * rest are unknown (404). The event path takes one segment, its id percent-encoded as sent.
 */
export function homeserverFallback(req: LabRequest): LabResponse {
  const path = req.path.split('?')[0] ?? req.path;
  if (/^\/_matrix\/federation\/v1\/event\/[^/]+$/.test(path)) return UNAUTHORIZED;
  return UNRECOGNIZED;
}

/**
 * The same homeserver behind a proxy that decodes the path before passing it on (nginx `proxy_pass` with a URI part):
 * an encoded "/" becomes a real one, and the event route no longer matches.
 */
export function decodingProxyFallback(req: LabRequest): LabResponse {
  const decoded = decodeURIComponent(req.path.split('?')[0] ?? req.path);
  return homeserverFallback({ ...req, path: decoded });
}
