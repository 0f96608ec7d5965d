// The request listener: parse the target, find the route, check the method, run the handler, count and log.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORS_HEADERS } from '../../config/documents.js';
import { methodLabel } from '../metrics.js';
import type { AppState, RequestContext } from './context.js';
import { preflightHandler } from './handlers.js';
import { isRequestTargetError, parseQuery, parseRequestTarget } from './request-target.js';
import { sendError } from './respond.js';
import { CORS_ROUTE_METHODS, PLAIN_ROUTE_METHODS, WELL_KNOWN_FAST_PATHS, matchRoute } from './router.js';
import type { FastPath } from './router.js';

/** Options of {@link createRequestListener}. */
export interface RequestListenerOptions {
  /** Longest request target accepted (414 beyond). */
  readonly maxUrlLength: number;
  /**
   * Called with every response that is still open when its handler returns (a tester check, /metrics): the
   * server tracks those for graceful shutdown. A response answered at once (the well-known documents, errors)
   * is complete by then and is not passed: keeping every response in a set of open ones cost more than the
   * rest of this listener (bench/serve-throughput.ts, BENCHMARKS.md).
   */
  readonly onResponse?: (res: ServerResponse) => void;
}

/** No extra headers (shared: nothing writes to it). */
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** The `status` label of the status codes this server sends, made once instead of per request. */
const STATUS_LABELS: ReadonlyMap<number, string> = new Map(
  [200, 204, 304, 400, 404, 405, 408, 414, 429, 431, 500, 503, 504].map((code) => [code, String(code)]),
);

const STATUS_OK = '200';

/** pino's number for `debug`. */
const DEBUG_LEVEL = 20;

function statusLabel(code: number): string {
  return STATUS_LABELS.get(code) ?? String(code);
}

/** A handler threw (a bug, never a remote server's fault): logged, answered 500, or the connection cut when the answer had begun. */
function handlerFailed(app: AppState, res: ServerResponse, label: string, error: unknown): void {
  app.logger.error({ err: error, route: label }, 'request handler failed');
  if (!res.headersSent) sendError(res, 500, 'M_UNKNOWN', 'internal server error');
  else res.destroy();
}

/** Route labels of requests that matched no route, for the metrics. */
export const UNMATCHED_LABELS = Object.freeze({ malformed: '(malformed)', unknown: '(unknown)' });

/**
 * Creates the function Node's HTTP servers call for every request. It never throws: a failing handler is logged
 * and answered 500 (or its connection destroyed when the answer had already begun). Every request is counted in
 * the metrics by route label, method and status, and logged at debug level without its query string.
 *
 * @example
 * ```ts
 * const listener = createRequestListener(() => currentState, { maxUrlLength: 4096 });
 * http.createServer(listener).listen(8080);
 * ```
 */
export function createRequestListener(
  getState: () => AppState,
  options: RequestListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  // This runs for every request, the well-known documents above all: it allocates as little as it can
  // (bench/serve-throughput.ts measures it against a bare node:http server).
  // The well-known documents as clients ask for them get the prepared answer with nothing parsed or matched, in a
  // function kept small; everything else goes to `general`.
  const general = generalListener(options);
  return (req, res) => {
    const app = getState();
    const started = performance.now();
    // During a graceful shutdown every answer tells keep-alive clients not to send another request here.
    if (app.isShuttingDown()) res.setHeader('connection', 'close');
    if (req.method === 'GET') {
      const fast = WELL_KNOWN_FAST_PATHS.get(req.url as string);
      const doc = fast?.pick(app);
      if (doc != null) {
        res.writeHead(200, doc.headers);
        res.end(doc.body);
        requestDone(app, req, (fast as FastPath).label, STATUS_OK, started);
        return;
      }
    }
    general(req, res, app, started);
  };
}

/** Every request but the fast well-known ones: parse, route, check the method, run the handler, count. */
function generalListener(
  options: RequestListenerOptions,
): (req: IncomingMessage, res: ServerResponse, app: AppState, started: number) => void {
  return (req, res, app, started) => {
    let label: string = UNMATCHED_LABELS.unknown;
    try {
      const target = parseRequestTarget(req.url, options.maxUrlLength);
      if (isRequestTargetError(target)) {
        label = UNMATCHED_LABELS.malformed;
        sendError(res, target.status, target.status === 414 ? 'M_TOO_LARGE' : 'M_UNRECOGNIZED', target.message);
        return;
      }
      const route = matchRoute(target.path, app);
      if (route === null) {
        sendError(res, 404, 'M_UNRECOGNIZED', `unknown path ${JSON.stringify(target.path.slice(0, 200))}`);
        return;
      }
      label = route.label;
      const corsHeaders = route.cors ? CORS_HEADERS : NO_HEADERS;
      if (req.method === 'OPTIONS' && route.cors) {
        preflightHandler(res);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const allow = route.cors ? CORS_ROUTE_METHODS : PLAIN_ROUTE_METHODS;
        sendError(res, 405, 'M_UNRECOGNIZED', `method ${String(req.method)} is not allowed here; use ${allow}`, {
          allow,
          ...corsHeaders,
        });
        return;
      }
      const query = parseQuery(target.rawQuery);
      if (isRequestTargetError(query)) {
        sendError(res, 400, 'M_INVALID_PARAM', query.message, corsHeaders);
        return;
      }
      const ctx: RequestContext = { req, res, path: target.path, query, app };
      const result = route.handle(ctx);
      if (result instanceof Promise) result.catch((error: unknown) => handlerFailed(app, res, label, error));
    } catch (error) {
      handlerFailed(app, res, label, error);
    } finally {
      if (res.writableEnded) {
        // Answered at once (the documents, every error): counted now, without a 'close' listener per request.
        requestDone(app, req, label, statusLabel(res.statusCode), started);
      } else {
        // Still open (a tester check, /metrics): counted when it ends. 'close' comes exactly once per response
        // (Node guards it), so `on` does without the wrapper of `once`.
        const openLabel = label;
        res.on('close', () => {
          // A response that never finished was cut short (client gone, shutdown deadline): not a status the client saw.
          requestDone(app, req, openLabel, res.writableFinished ? statusLabel(res.statusCode) : 'aborted', started);
        });
        // Every handler writes its whole answer at once, so a response still open here has sent nothing yet.
        options.onResponse?.(res);
      }
    }
  };
}

/** Counts a finished request in the metrics, and logs it at debug level. */
function requestDone(app: AppState, req: IncomingMessage, label: string, status: string, started: number): void {
  const seconds = (performance.now() - started) / 1000;
  app.metrics.http.record(label, methodLabel(req.method), status, seconds);
  // Only built when written: at the usual levels (info, warn) this line costs nothing per request (pino's
  // numeric level, read directly: isLevelEnabled looks the level name up on every call).
  if (app.logger.levelVal <= DEBUG_LEVEL) {
    // The path without the query: tester calls carry the server name people look up, which is not the log's business.
    const path = (req.url ?? '').split('?')[0]?.slice(0, 512);
    app.logger.debug(
      {
        method: req.method,
        path,
        route: label,
        status,
        durationMs: Math.round(seconds * 1000),
        remote: req.socket.remoteAddress,
      },
      'request',
    );
  }
}
