// Describes a resolution for people in a language: each trace step, the well-known outcome and the error, from the typed result.

import type { ErrorCode } from '../errors.js';
import { DEFAULT_LOCALE, localize, type Locale, type Localized } from '../i18n/index.js';
import { formatServerName, normalizeIp, parseServerName } from '../server-name/index.js';
import { SERVER_NAME_RULE_TEXTS } from '../server-name/rule-texts.js';
import { RESOLUTION_TEXTS } from './describe-texts.js';
import { MAX_SRV_TARGETS } from './resolve.js';
import type { ResolutionStep, ResolveResult, TraceEntry, WellKnownTraceEntry } from './types.js';

type Text = Localized<(typeof RESOLUTION_TEXTS)['en']>;

/** The path of the server well-known (spec server-server API, "Server discovery"). */
const SERVER_PATH = '/.well-known/matrix/server';

/** The SRV chains: a lookup step skipped because an earlier SRV step of its chain found records. */
const SRV_CHAINS: readonly (readonly ResolutionStep[])[] = [
  ['3.3', '3.4', '3.5'],
  ['4', '5', '6'],
];

/**
 * What each trace entry of `result` says, in `locale`: one string per entry, in order. English is the resolver's own
 * `reason`, unchanged. Other languages describe each entry from its typed fields (step, status, code, query, data)
 * and the rest of the result (the parsed name, the well-known outcome, the targets); an entry that cannot be
 * described that way (none is known) keeps its English reason.
 *
 * @example
 * ```ts
 * const lines = describeTrace(await resolveServerName('example.com'), 'zh-CN');
 * ```
 */
export function describeTrace(result: ResolveResult, locale: Locale = DEFAULT_LOCALE): string[] {
  if (locale === 'en') return result.trace.map((entry) => entry.reason);
  const described = describeTraceFromCatalogue(result, locale);
  return result.trace.map((entry, i) => described[i] ?? entry.reason);
}

/**
 * Each trace entry described through the catalogue in `locale` (English included), or null for an entry the typed
 * result does not describe. {@link describeTrace} uses it; tests compare its English with the resolver's reasons.
 */
export function describeTraceFromCatalogue(result: ResolveResult, locale: Locale): (string | null)[] {
  const t = localize(RESOLUTION_TEXTS, locale);
  return result.trace.map((_, i) => describeEntry(result, i, t, locale));
}

/**
 * Why the resolution has no targets, in `locale` (null when it has no error). English is the resolver's message.
 *
 * @example
 * ```ts
 * if (result.error) console.log(describeResolutionError(result, 'zh-CN'));
 * ```
 */
export function describeResolutionError(result: ResolveResult, locale: Locale = DEFAULT_LOCALE): string | null {
  const error = result.error;
  if (error === null) return null;
  if (locale === 'en') return error.message;
  return describeErrorFromCatalogue(result, locale) ?? error.message;
}

/** {@link describeResolutionError} through the catalogue (English included); null when it cannot be described. */
export function describeErrorFromCatalogue(result: ResolveResult, locale: Locale): string | null {
  const error = result.error;
  if (error === null) return null;
  const t = localize(RESOLUTION_TEXTS, locale);
  const trace = result.trace;
  switch (error.code) {
    case 'INVALID_SERVER_NAME':
      return parseProblem(result.serverName, locale);
    case 'TIMEOUT': {
      const step3 = trace.find((e) => e.step === '3' && e.code === 'TIMEOUT');
      return step3 === undefined ? null : t('wellKnown.stopped', { why: abortWords(step3.reason, t) });
    }
    case 'ADDRESS_DENIED': {
      const denied = [...new Set(trace.flatMap((e) => (e.step === 'policy' ? [e.data.ip] : [])))];
      return denied.length === 0 ? null : t('error.denied', { addresses: denied });
    }
    case 'NO_TARGETS':
      return t('error.noTargets');
    default: {
      // An SRV lookup that failed, or an address lookup that failed: the last failed entry with that code says which.
      const failed = [...trace].reverse().find((e) => e.status === 'failed' && e.code === error.code);
      if (failed === undefined || failed.step === 'policy' || failed.step === 'parse' || failed.step === '3')
        return null;
      const index = trace.indexOf(failed);
      return describeEntry(result, index, t, locale);
    }
  }
}

/**
 * The well-known outcome's detail in `locale` (English: the resolver's `detail`, unchanged).
 *
 * @example
 * ```ts
 * console.log(describeWellKnown(result, 'zh-CN')); // 'https://example.com/.well-known/matrix/server 返回 404：...'
 * ```
 */
export function describeWellKnown(result: ResolveResult, locale: Locale = DEFAULT_LOCALE): string {
  if (locale === 'en') return result.wellKnown.detail;
  return describeWellKnownFromCatalogue(result, locale) ?? result.wellKnown.detail;
}

/** {@link describeWellKnown} through the catalogue (English included); null when it cannot be described. */
export function describeWellKnownFromCatalogue(result: ResolveResult, locale: Locale): string | null {
  const t = localize(RESOLUTION_TEXTS, locale);
  const entry = result.trace.find((e): e is WellKnownTraceEntry => e.step === '3' && e.status !== 'skipped');
  return wellKnownDetail(result, entry, t, locale);
}

/** Why `name` fails the server-name grammar, in `locale` (null when it does not fail it). */
function parseProblem(name: string, locale: Locale): string | null {
  const parsed = parseServerName(name);
  if (parsed.ok) return null;
  const rule = localize(SERVER_NAME_RULE_TEXTS, locale)(parsed.error.rule);
  return localize(RESOLUTION_TEXTS, locale)('parse.failed', { name, problem: rule });
}

/**
 * What an error code means, in words of `locale` (DNS, connections, TLS; `error CODE` for the others).
 *
 * @example
 * ```ts
 * errorCodeWords('CONNECT_REFUSED', 'zh-CN'); // '连接被拒绝'
 * ```
 */
export function errorCodeWords(code: ErrorCode, locale: Locale = DEFAULT_LOCALE): string {
  return codeWords(code, localize(RESOLUTION_TEXTS, locale));
}

/** What an error code means, in words (DNS, connections, TLS). */
function codeWords(code: ErrorCode, t: Text): string {
  const key = `code.${code}`;
  return key in RESOLUTION_TEXTS.en ? t(key as 'code.TIMEOUT') : t('code.other', { code });
}

/** The words of the abort behind a stopped resolution: the resolver's budget, or the caller's abort. */
function abortWords(reason: string, t: Text): string {
  // The resolver's own budget aborts with "resolution took longer than N ms" (resolver/options.ts).
  const budget = /resolution took longer than (\d+) ms$/.exec(reason);
  return budget !== null ? t('abort.budget', { ms: Number(budget[1]) }) : t('abort.other');
}

/** `ip:port`, an IPv6 address bracketed, as the resolver writes it. */
function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The port at the end of a reason the resolver wrote (the default port, which the typed entry does not carry). */
function portIn(reason: string, pattern: RegExp): number | null {
  const match = pattern.exec(reason);
  return match === null ? null : Number(match[1]);
}

/** The step whose addresses a policy entry refused: the last entry before it that did something. */
function stepBefore(trace: readonly TraceEntry[], index: number): string | null {
  for (let i = index - 1; i >= 0; i -= 1) {
    const e = trace[i]!;
    if (e.step !== 'policy' && e.status !== 'skipped') return e.step;
  }
  return null;
}

/** The host the lookups of `step` are about: the delegated host for 3.x, the server name's host otherwise. */
function chainHost(result: ResolveResult, step: string): string | null {
  if (step.startsWith('3.')) return result.wellKnown.serverName?.host ?? null;
  return result.parsed?.host ?? null;
}

function describeEntry(result: ResolveResult, index: number, t: Text, locale: Locale): string | null {
  const entry = result.trace[index]!;
  const parsed = result.parsed;
  const delegated = result.wellKnown.serverName;
  if (entry.status === 'skipped') return skipReason(result, index, t);
  switch (entry.step) {
    case 'parse':
      return parseProblem(result.serverName, locale);
    case 'policy': {
      const step = stepBefore(result.trace, index);
      return step === null ? null : t('policy.denied', { ip: entry.data.ip, step, why: policyWords(entry.data, t) });
    }
    case '1': {
      if (parsed === null || parsed.kind === 'dns') return null;
      const ip = normalizeIp(parsed.host, parsed.kind);
      const port = parsed.port ?? portIn(entry.reason, /:(\d+), no SNI, the certificate must name /);
      if (port === null) return null;
      return t('step1.taken', { name: formatServerName(parsed), address: hostPort(ip, port), ip });
    }
    case '2':
      if (entry.data === undefined)
        return parsed === null ? null : t('step2.taken', { name: formatServerName(parsed) });
      break;
    case '3':
      return wellKnownStep(result, entry, index, t, locale);
    case '3.1': {
      if (delegated === null || delegated.kind === 'dns') return null;
      const ip = normalizeIp(delegated.host, delegated.kind);
      const port = delegated.port ?? portIn(entry.reason, /:(\d+)$/);
      if (port === null) return null;
      return t('step3_1.taken', { name: formatServerName(delegated), address: hostPort(ip, port) });
    }
    case '3.2':
      if (entry.data === undefined)
        return delegated === null ? null : t('step3_2.taken', { name: formatServerName(delegated) });
      break;
    default:
      break;
  }
  // The lookups of steps 2, 3.2 to 3.5 and 4 to 6.
  const data = entry.data;
  if (data !== undefined && 'addresses' in data) {
    const host = entry.query ?? '';
    if (data.addresses.length > 0) {
      const problem = entry.code !== undefined ? codeWords(entry.code, t) : null;
      return t('addr.found', { host, chain: data.cnameChain, addresses: data.addresses, problem });
    }
    if (entry.status === 'failed' && entry.code !== undefined)
      return t('addr.failed', { host, problem: codeWords(entry.code, t) });
    return t('addr.none', { host, chain: data.cnameChain });
  }
  if (entry.query?.startsWith('_matrix') === true) {
    const srvName = entry.query;
    if (entry.status === 'empty') {
      const why = entry.code === 'DNS_NXDOMAIN' ? t('srv.nxdomain') : t('srv.nodata');
      return t('srv.none', { srvName, why });
    }
    if (entry.status === 'failed') {
      if (entry.code === 'SRV_UNAVAILABLE') return t('srv.unavailable', { srvName });
      return entry.code === undefined ? null : t('srv.failed', { srvName, problem: codeWords(entry.code, t) });
    }
    if (data !== undefined && 'records' in data) {
      const host = chainHost(result, entry.step);
      if (host === null) return null;
      const count = data.records.length;
      return t('srv.taken', { srvName, count, max: count > MAX_SRV_TARGETS ? MAX_SRV_TARGETS : null, host });
    }
    return null;
  }
  if ((entry.step === '3.5' || entry.step === '6') && entry.status === 'taken' && entry.query === undefined) {
    const host = chainHost(result, entry.step);
    const port = portIn(entry.reason, /on port (\d+)$/);
    return host === null || port === null ? null : t('host.taken', { host, port });
  }
  return null;
}

/** Why a step was skipped: a decision already taken before it, or its own condition. */
function skipReason(result: ResolveResult, index: number, t: Text): string | null {
  const entry = result.trace[index]!;
  const before = result.trace.slice(0, index);
  const took = (step: string): boolean => before.some((e) => e.step === step && e.status === 'taken');
  const step = entry.step;
  if (step === '1') return result.parsed === null ? null : t('step1.skipped', { host: result.parsed.host });
  if (took('1')) return t('skip.ipLiteral');
  if (took('2')) return t('skip.explicitPort');
  if (step === '2') return t('step2.skipped');
  if (step === '3.1' || step === '3.2' || step === '3.3' || step === '3.4' || step === '3.5') {
    if (took('3.1')) return t('skip.mServerIp');
    if (took('3.2')) return t('skip.mServerPort');
    const host = result.wellKnown.serverName?.host;
    if (host === undefined) return null;
    if (step === '3.1') return t('step3_1.skipped', { host });
    if (step === '3.2') return t('step3_2.skipped', { host });
  }
  const chain = SRV_CHAINS.find((c) => c.includes(step as ResolutionStep));
  if (chain !== undefined) {
    // An earlier SRV lookup of the same chain that did not come back empty decided the target.
    const srv = [...before]
      .reverse()
      .find(
        (e) =>
          chain.includes(e.step as ResolutionStep) && e.query?.startsWith('_matrix') === true && e.status !== 'empty',
      );
    if (srv?.query !== undefined) return t('skip.srvFound', { srvName: srv.query, step: srv.step });
  }
  if (step === '3' || step === '4' || step === '5' || step === '6') {
    const wellKnown = before.find((e) => e.step === '3');
    if (wellKnown?.status === 'taken') return t('skip.delegated');
    if (wellKnown?.status === 'failed') return t('skip.wellKnownStopped');
  }
  return null;
}

/** Step 3 taken (a delegation), stopped (the budget ran out during the fetch) or failed (no delegation). */
function wellKnownStep(
  result: ResolveResult,
  entry: WellKnownTraceEntry,
  index: number,
  t: Text,
  locale: Locale,
): string | null {
  if (entry.status === 'taken') {
    const mServer = result.wellKnown.mServer;
    return mServer === null || entry.query === undefined
      ? null
      : t('wellKnown.delegates', { url: entry.query, mServer });
  }
  if (stoppedAt(result.trace, index)) return t('wellKnown.stopped', { why: abortWords(entry.reason, t) });
  const detail = wellKnownDetail(result, entry, t, locale);
  return detail === null ? null : t('wellKnown.noDelegation', { detail });
}

/** True when the resolution stopped during the well-known fetch: every later step was skipped for it. */
function stoppedAt(trace: readonly TraceEntry[], index: number): boolean {
  const entry = trace[index]!;
  return entry.code === 'TIMEOUT' && trace[index + 1]?.step === '4' && trace[index + 1]?.status === 'skipped';
}

/** The well-known outcome's detail, described from its status, code, `m.server` and the step's facts. */
function wellKnownDetail(
  result: ResolveResult,
  entry: WellKnownTraceEntry | undefined,
  t: Text,
  locale: Locale,
): string | null {
  const wk = result.wellKnown;
  const parsed = result.parsed;
  if (wk.status === 'skipped') {
    if (parsed === null) return t('wk.skipInvalid');
    return parsed.kind !== 'dns' ? t('wk.skipIp') : t('wk.skipPort');
  }
  if (parsed === null) return null;
  if (entry !== undefined && stoppedAt(result.trace, result.trace.indexOf(entry)))
    return t('wellKnown.stopped', { why: abortWords(entry.reason, t) });
  // The URL the detail names: the last request made (after redirects), else the first.
  const url = entry?.data?.hops?.at(-1)?.url ?? `https://${parsed.host}${SERVER_PATH}`;
  if (wk.status === 'delegated')
    return wk.mServer === null ? null : t('wellKnown.delegates', { url, mServer: wk.mServer });
  const status = entry?.data?.httpStatus ?? portIn(wk.detail, / answered (\d{3})\b/);
  switch (wk.code) {
    case 'WELL_KNOWN_NOT_FOUND':
      return t('wk.notFound', { url });
    case 'WELL_KNOWN_HTTP_STATUS':
      if (status === null) return null;
      return status >= 500 ? t('wk.serverError', { url, status }) : t('wk.status', { url, status });
    case 'WELL_KNOWN_INVALID_JSON':
      return invalidJson(wk.detail, url, t);
    case 'WELL_KNOWN_NOT_OBJECT':
      return t('wk.notObject', { url });
    case 'WELL_KNOWN_MISSING_M_SERVER':
      return t('wk.missingMServer', { url });
    case 'WELL_KNOWN_INVALID_M_SERVER': {
      if (wk.mServer === null) return t('wk.mServerNotString', { url });
      const name = parseServerName(wk.mServer);
      const problem = name.ok ? null : localize(SERVER_NAME_RULE_TEXTS, locale)(name.error.rule);
      return problem === null ? null : t('wk.mServerInvalid', { url, mServer: wk.mServer, problem });
    }
    case 'WELL_KNOWN_TOO_LARGE':
      return t('wk.tooLarge', { url });
    case 'WELL_KNOWN_TOO_MANY_REDIRECTS':
      return t('wk.tooManyRedirects', { url });
    case 'WELL_KNOWN_REDIRECT_LOOP':
      return t('wk.redirectLoop', { url });
    case 'WELL_KNOWN_BAD_REDIRECT':
      return t('wk.badRedirect', { url });
    case null:
      return null;
    default:
      if (wk.status === 'blocked') return t('wk.blocked', { url, host: hostOf(url) ?? parsed.host });
      return t('wk.failed', { url, problem: codeWords(wk.code, t) });
  }
}

/** Which of the well-known parser's JSON problems the detail names (its fixed sentences, well-known/parse-server.ts). */
function invalidJson(detail: string, url: string, t: Text): string {
  if (detail.includes('byte order mark')) return t('wk.bom', { url });
  if (detail.endsWith('the document is not valid UTF-8 text')) return t('wk.notUtf8', { url });
  if (detail.includes('the document is empty')) return t('wk.empty', { url });
  const syntax = /the document is not valid JSON \((.*)\)$/s.exec(detail);
  if (syntax !== null && syntax[1] !== '') return t('wk.syntax', { url, error: syntax[1]! });
  return t('wk.invalidJson', { url });
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** Why the address policy refused an address, from its facts (the deny-list range that matched). */
function policyWords(data: { readonly ip: string; readonly range: string | null }, t: Text): string {
  if (data.range === null) return t('policy.notIp', { ip: data.ip });
  if (data.range === '0.0.0.0/32' || data.range === '::/128') return t('policy.unspecified', { ip: data.ip });
  return t('policy.inRange', { ip: data.ip, range: data.range });
}
