// Handlers of the tester API: /api/report (matrix-federation-tester schema), /api/federation-ok, /api/check.

import type { CheckReport } from '../../checker/types.js';
import type { Locale } from '../../i18n/locale.js';
import { parseServerName } from '../../server-name/index.js';
import { reportBody } from '../tester/report-bodies.js';
import type * as LocalizeReportModule from '../tester/localize-report.js';
import { CORS_HEADERS } from '../../config/documents.js';
import type { RequestContext } from './context.js';
import { sendError } from './respond.js';
import { clientAddress } from './forwarded.js';
import { VARY_LANGUAGE, requestLocale } from './request-locale.js';

/** Headers of every tester answer: CORS (the old tester sent `Access-Control-Allow-Origin: *` too) and no caching by intermediaries. */
export const TESTER_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...CORS_HEADERS,
  'cache-control': 'no-store',
});

/** Longest `server_name` accepted: the grammar's 255-character DNS name plus a port. */
const MAX_SERVER_NAME_LENGTH = 300;

/**
 * Reads and validates the server name in the query parameter `param` (`server_name`; `/probe` reads `target`); answers
 * 400 and returns null when it is missing, repeated or invalid.
 */
export function serverNameParam(ctx: RequestContext, param = 'server_name'): string | null {
  const values = ctx.query.get(param) ?? [];
  const value = values[0];
  if (value === undefined || value === '') {
    sendError(
      ctx.res,
      400,
      'M_MISSING_PARAM',
      `the ${param} parameter is missing: add ?${param}=example.com`,
      TESTER_HEADERS,
    );
    return null;
  }
  if (values.length > 1) {
    sendError(
      ctx.res,
      400,
      'M_INVALID_PARAM',
      `${param} is given ${values.length} times; give it once`,
      TESTER_HEADERS,
    );
    return null;
  }
  if (value.length > MAX_SERVER_NAME_LENGTH) {
    sendError(
      ctx.res,
      400,
      'M_INVALID_PARAM',
      `${param} is longer than ${MAX_SERVER_NAME_LENGTH} characters`,
      TESTER_HEADERS,
      { rule: 'dns-too-long' },
    );
    return null;
  }
  const parsed = parseServerName(value);
  if (!parsed.ok) {
    sendError(
      ctx.res,
      400,
      'M_INVALID_PARAM',
      `${JSON.stringify(value)} is not a valid server name: ${parsed.error.message}`,
      TESTER_HEADERS,
      { rule: parsed.error.rule },
    );
    return null;
  }
  return value;
}

/**
 * Runs (or reuses) the check for the server name of the query parameter `param` [`server_name`] and hands the report to
 * `render`; answers every other outcome itself: 400 invalid name, 429 rate limit, 503 busy or shutting down (both with Retry-After),
 * 504 over the time budget, 500 when the check itself broke.
 */
export function testerHandler(
  render: (ctx: RequestContext, report: CheckReport) => void | Promise<void>,
  param = 'server_name',
) {
  return async (ctx: RequestContext): Promise<void> => {
    const serverName = serverNameParam(ctx, param);
    if (serverName === null) return;
    if (ctx.app.isShuttingDown()) {
      sendError(
        ctx.res,
        503,
        'M_UNKNOWN',
        'the server is shutting down; try again in a moment',
        { ...TESTER_HEADERS, 'retry-after': '5' },
        { retry_after_ms: 5000 },
      );
      return;
    }
    const answer = await ctx.app.runner.request(
      serverName,
      clientAddress(ctx.req.socket, ctx.req.headers['x-forwarded-for']),
    );
    switch (answer.kind) {
      case 'report':
        await render(ctx, answer.report);
        return;
      case 'rate-limited':
        sendError(
          ctx.res,
          429,
          'M_LIMIT_EXCEEDED',
          `too many checks from your address; try again in ${answer.retryAfterSeconds} s`,
          { ...TESTER_HEADERS, 'retry-after': String(answer.retryAfterSeconds) },
          { retry_after_ms: answer.retryAfterSeconds * 1000 },
        );
        return;
      case 'busy':
        sendError(
          ctx.res,
          503,
          'M_LIMIT_EXCEEDED',
          `the tester is running as many checks as it allows; try again in ${answer.retryAfterSeconds} s`,
          { ...TESTER_HEADERS, 'retry-after': String(answer.retryAfterSeconds) },
          { retry_after_ms: answer.retryAfterSeconds * 1000 },
        );
        return;
      case 'timeout':
        sendError(
          ctx.res,
          504,
          'M_UNKNOWN',
          `the check did not finish within ${answer.timeoutMs} ms; it goes on, ask again shortly for its result`,
          TESTER_HEADERS,
        );
        return;
      case 'error':
        sendError(ctx.res, 500, 'M_UNKNOWN', `the check failed: ${answer.message}`, TESTER_HEADERS);
        return;
    }
  };
}

/**
 * Sends a report's JSON answer: the same Buffer for every request about the same cached result (see
 * `report-bodies.ts`), so a cache hit costs no serialising and no copy.
 */
function sendReportBody(ctx: RequestContext, body: Buffer, headers: Readonly<Record<string, string>> = {}): void {
  ctx.res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': String(body.byteLength),
    ...TESTER_HEADERS,
    ...headers,
  });
  ctx.res.end(body);
}

let localizeModule: Promise<typeof LocalizeReportModule> | undefined;

/**
 * `report` in `locale` (see `localizeReport`). The diagnosis is loaded on the first request in another language,
 * like the checker on the first check: a server that is never asked in one does not hold it.
 */
export async function reportIn(report: CheckReport, locale: Locale): Promise<CheckReport> {
  if (locale === 'en') return report;
  localizeModule ??= import('../tester/localize-report.js');
  return (await localizeModule).localizeReport(report, locale);
}

/** `GET /api/report?server_name=X`: matrix-federation-tester's JSON, field for field. */
export const reportHandler = testerHandler((ctx, report) => {
  sendReportBody(ctx, reportBody(report, 'federation-tester'));
});

/** `GET /api/federation-ok?server_name=X`: `GOOD` or `BAD` as text, with the tester's rule for the verdict. */
export const federationOkHandler = testerHandler((ctx, report) => {
  const body = Buffer.from(report.federationOk ? 'GOOD' : 'BAD', 'utf8');
  // The Content-Type Go's net/http sniffs for the old tester's plain write.
  ctx.res.writeHead(200, {
    ...TESTER_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(body.byteLength),
  });
  ctx.res.end(body);
});

/**
 * `GET /api/check?server_name=X[&lang=zh-CN]`: the native report (schema `matrix-delegation/check/v1`), with its hints
 * in the language of `?lang=` or `Accept-Language` (English otherwise; `Vary: Accept-Language`). One check and one
 * cached result serve every language: another language is the cached report diagnosed again.
 */
export const checkHandler = testerHandler(async (ctx, report) => {
  sendReportBody(ctx, reportBody(await reportIn(report, requestLocale(ctx)), 'native'), VARY_LANGUAGE);
});
