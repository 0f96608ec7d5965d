// Handlers of the monitor: /probe (one check in the Prometheus text format) and /api/monitor (the watched names, JSON).

import { monitorBody, noMonitorBody } from '../../monitor/api-body.js';
import { renderProbeMetrics } from '../../monitor/probe-metrics.js';
import type * as MonitorLocaleModule from '../monitor-locale.js';
import type { RequestContext } from './context.js';
import { VARY_LANGUAGE, requestLocale } from './request-locale.js';
import { sendError } from './respond.js';
import { testerHandler } from './tester-handlers.js';

/**
 * `GET /probe?target=example.org`: one check of `target` as Prometheus text (blackbox_exporter's multi-target
 * pattern), through the tester's runner: the same deny-list, per-client rate limit, global cap and result cache as
 * `/api/check`. A check that could not run (rate limit, busy, over its budget) is an HTTP error, so that Prometheus
 * records a failed scrape (`up` 0) rather than a server that does not federate.
 */
export const probeHandler = testerHandler(async (ctx, report) => {
  const { contentType, text } = await renderProbeMetrics(report);
  const body = Buffer.from(text, 'utf8');
  ctx.res.writeHead(200, {
    'content-type': contentType,
    'content-length': String(body.byteLength),
    'cache-control': 'no-store',
  });
  ctx.res.end(body);
}, 'target');

/** Sends a JSON text, never cached; its language follows the request (`Vary: Accept-Language`). */
function sendJsonText(ctx: RequestContext, text: string): void {
  const body = Buffer.from(text, 'utf8');
  ctx.res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': String(body.byteLength),
    'cache-control': 'no-store',
    ...VARY_LANGUAGE,
  });
  ctx.res.end(body);
}

/** Loaded on the first request in another language than English (it holds the diagnosis). */
let monitorLocaleModule: Promise<typeof MonitorLocaleModule> | undefined;

/**
 * `GET /api/monitor[?server_name=X][&lang=zh-CN]`: every watched name (or one) with its state and last report
 * (docs/monitor.md), the hints in the language of `?lang=` or `Accept-Language` (English otherwise).
 * Without a `monitor:` section (the route then exists with the tester) it says so: `monitor: false`, no servers.
 * 404 for a name that is not watched.
 */
export async function monitorHandler(ctx: RequestContext): Promise<void> {
  const tester = ctx.app.config.tester.enabled;
  const monitor = ctx.app.monitor();
  if (monitor === null) {
    // No monitor configured, or one being started by a reload: nothing is watched here yet.
    sendJsonText(ctx, noMonitorBody(tester));
    return;
  }
  const names = ctx.query.get('server_name') ?? [];
  const only = names[0] ?? null;
  if (names.length > 1) {
    sendError(ctx.res, 400, 'M_INVALID_PARAM', `server_name is given ${names.length} times; give it once`);
    return;
  }
  if (only !== null && monitor.name(only) === undefined) {
    sendError(ctx.res, 404, 'M_NOT_FOUND', `${JSON.stringify(only.slice(0, 300))} is not a watched name`);
    return;
  }
  const locale = requestLocale(ctx);
  if (locale === 'en') {
    sendJsonText(ctx, monitorBody(monitor, only, tester));
    return;
  }
  monitorLocaleModule ??= import('../monitor-locale.js');
  const { monitorIn } = await monitorLocaleModule;
  sendJsonText(ctx, monitorBody(monitorIn(monitor, locale), only, tester));
}
