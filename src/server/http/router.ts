// The route table: which path is which endpoint, its methods, and whether the config enables it.

import { WELL_KNOWN_PATHS } from '../../config/documents.js';
import type { PreparedDocument } from '../../config/documents.js';
import type { AppState, RequestContext } from './context.js';
import { documentHandler, healthHandler, metricsHandler, staticHandler } from './handlers.js';
import { monitorHandler, probeHandler } from './monitor-handlers.js';
import { checkHandler, federationOkHandler, reportHandler } from './tester-handlers.js';

/** A matched endpoint. */
export interface Route {
  /** The `route` label of the metrics: the path pattern, never the raw path, so the label set stays small. */
  readonly label: string;
  /** True for the CORS endpoints: OPTIONS is a preflight, and errors carry the CORS headers too. */
  readonly cors: boolean;
  /** Handles GET and HEAD (Node leaves the body out of HEAD answers by itself). */
  readonly handle: (ctx: RequestContext) => void | Promise<void>;
}

/** The methods of a CORS route, as sent in `Allow` on a 405. */
export const CORS_ROUTE_METHODS = 'GET, HEAD, OPTIONS';
/** The methods of the other routes. */
export const PLAIN_ROUTE_METHODS = 'GET, HEAD';

const serverDocument = documentHandler((ctx) => ctx.app.documents.server, 'server');
const clientDocument = documentHandler((ctx) => ctx.app.documents.client, 'client');
const supportDocument = documentHandler((ctx) => ctx.app.documents.support, 'support');

const WELL_KNOWN_ROUTES: ReadonlyMap<string, Route> = new Map([
  [WELL_KNOWN_PATHS.server, { label: WELL_KNOWN_PATHS.server, cors: true, handle: serverDocument }],
  [WELL_KNOWN_PATHS.client, { label: WELL_KNOWN_PATHS.client, cors: true, handle: clientDocument }],
  [WELL_KNOWN_PATHS.support, { label: WELL_KNOWN_PATHS.support, cors: true, handle: supportDocument }],
]);

/** A request target answered without routing: its metrics label and its document. */
export interface FastPath {
  /** The route label (the constant string, so that counting it hashes nothing new). */
  readonly label: string;
  readonly pick: (app: AppState) => PreparedDocument<unknown> | null;
}

/**
 * The prepared document a `GET` of exactly this request target answers, by target: the three well-known paths as
 * clients send them (no query, nothing percent-encoded), which are most of the traffic. The request listener
 * answers these without parsing the target or matching a route; anything else (a query, HEAD, a document the
 * config does not serve) takes the general path, which gives the same answer for these paths.
 */
export const WELL_KNOWN_FAST_PATHS: ReadonlyMap<string, FastPath> = new Map<string, FastPath>([
  [WELL_KNOWN_PATHS.server, { label: WELL_KNOWN_PATHS.server, pick: (app: AppState) => app.documents.server }],
  [WELL_KNOWN_PATHS.client, { label: WELL_KNOWN_PATHS.client, pick: (app: AppState) => app.documents.client }],
  [WELL_KNOWN_PATHS.support, { label: WELL_KNOWN_PATHS.support, pick: (app: AppState) => app.documents.support }],
]);

const HEALTH_ROUTE: Route = { label: '/health', cors: false, handle: healthHandler };
const METRICS_ROUTE: Route = { label: '/metrics', cors: false, handle: metricsHandler };

const TESTER_ROUTES: ReadonlyMap<string, Route> = new Map([
  ['/api/report', { label: '/api/report', cors: true, handle: reportHandler }],
  ['/api/federation-ok', { label: '/api/federation-ok', cors: true, handle: federationOkHandler }],
  ['/api/check', { label: '/api/check', cors: true, handle: checkHandler }],
  ['/probe', { label: '/probe', cors: false, handle: probeHandler }],
]);

const MONITOR_ROUTE: Route = { label: '/api/monitor', cors: false, handle: monitorHandler };

const PAGE_ROUTE: Route = { label: '/', cors: false, handle: staticHandler };
const ASSET_ROUTE: Route = { label: '/assets/*', cors: false, handle: staticHandler };
const FILE_ROUTE: Route = { label: '/(file)', cors: false, handle: staticHandler };

/**
 * Finds the endpoint of a decoded path, exactly (no trailing-slash or case folding: the well-known paths are
 * fixed by the spec), or null for an unknown path (404). `/metrics` exists only with `metrics.enabled`; the
 * tester API and `/probe` only with `tester.enabled`; `/api/monitor` and the web page with the tester or a `monitor:`
 * section (the page shows the check form with the tester, the watched names with the monitor).
 *
 * @example
 * ```ts
 * matchRoute('/.well-known/matrix/client', app)?.cors; // true
 * ```
 */
export function matchRoute(path: string, app: AppState): Route | null {
  const wellKnown = WELL_KNOWN_ROUTES.get(path);
  if (wellKnown !== undefined) return wellKnown;
  if (path === '/health') return HEALTH_ROUTE;
  if (path === '/metrics') return app.config.metrics.enabled ? METRICS_ROUTE : null;
  if (path === '/api/monitor') return app.config.monitor !== null || app.config.tester.enabled ? MONITOR_ROUTE : null;
  if (app.config.tester.enabled) {
    const tester = TESTER_ROUTES.get(path);
    if (tester !== undefined) return tester;
  } else if (app.config.monitor === null) return null;
  if (!app.site.files.has(path)) return null;
  if (path === '/' || path === '/index.html') return PAGE_ROUTE;
  return path.startsWith('/assets/') ? ASSET_ROUTE : FILE_ROUTE;
}
