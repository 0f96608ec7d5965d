// Handlers of the well-known documents, /health, /metrics and the web page.

import type { ServerResponse } from 'node:http';
import { CORS_HEADERS, preflightHeaders } from '../../config/documents.js';
import type { PreparedDocument } from '../../config/documents.js';
import type { RequestContext } from './context.js';
import { sendError, sendJson } from './respond.js';
import { sendStaticFile } from './static-files.js';

/**
 * Answers one well-known document: the prepared body and headers (JSON, Cache-Control, CORS) or, when the
 * config does not serve it, 404 `M_NOT_FOUND` with the CORS headers, so that a browser-based client can read
 * the 404 (client flow: 404 means "no well-known", IGNORE) instead of failing on CORS.
 */
export function documentHandler(pick: (ctx: RequestContext) => PreparedDocument<unknown> | null, name: string) {
  return (ctx: RequestContext): void => {
    const doc = pick(ctx);
    if (doc === null) {
      sendError(
        ctx.res,
        404,
        'M_NOT_FOUND',
        `this server does not serve the ${name} document (not configured)`,
        CORS_HEADERS,
      );
      return;
    }
    ctx.res.writeHead(200, doc.headers);
    ctx.res.end(doc.body);
  };
}

/**
 * The CORS preflight (`OPTIONS`): 204 with the CORS headers and no body. The spec (client-server API, "Web
 * Browser Clients") wants these headers on every response and says OPTIONS must not run the endpoint's logic.
 */
export function preflightHandler(res: ServerResponse): void {
  res.writeHead(204, preflightHeaders());
  res.end();
}

/** `/health`: 200 `{"status":"ok"}`, or 503 `{"status":"shutting-down"}` once a graceful shutdown began (load balancers stop sending). */
export function healthHandler(ctx: RequestContext): void {
  const down = ctx.app.isShuttingDown();
  sendJson(ctx.res, down ? 503 : 200, { status: down ? 'shutting-down' : 'ok' }, { 'cache-control': 'no-store' });
}

/** `/metrics`: the Prometheus text format of the server's own registry. */
export async function metricsHandler(ctx: RequestContext): Promise<void> {
  const registry = ctx.app.metrics.registry;
  const text = await registry.metrics();
  const body = Buffer.from(text, 'utf8');
  ctx.res.writeHead(200, {
    'content-type': registry.contentType,
    'content-length': String(body.byteLength),
    'cache-control': 'no-store',
  });
  ctx.res.end(body);
}

/** A file of the web page, looked up by the decoded path; 404 when there is none. */
export function staticHandler(ctx: RequestContext): void {
  const file = ctx.app.site.files.get(ctx.path);
  if (file === undefined) {
    sendError(ctx.res, 404, 'M_UNRECOGNIZED', `no such page: ${ctx.path}`);
    return;
  }
  sendStaticFile(ctx.req, ctx.res, file);
}
