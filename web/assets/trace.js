// The resolution steps' reasons and the well-known outcome told from a report's typed facts, in the page's language.
//
// The resolver writes each trace entry's `reason` in English (the JSON keeps it so, for scripts). In English the page
// shows that reason as it is; in another language it tells the same from the entry's step, status, code, query and
// data (src/resolver/types.ts, TraceEntry) and from the resolution around it. Plain ES module: app.js and the Node
// tests (test/web/page-texts.test.ts, over real lab resolutions) import it.

/** SRV records used per name at most (src/resolver/resolve.ts, MAX_SRV_TARGETS): more are listed but not used. */
const MAX_SRV_TARGETS = 32;

/** The federation port when the report gives none (the spec's default). */
const DEFAULT_PORT = 8448;

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The host of a server name (`host`, `host:port`, `[v6]:port`), without its port. */
function hostOf(name) {
  const value = String(name ?? '').trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1];
  return value.replace(/:\d+$/, '');
}

/** The entries of the trace, grouped by step in their order. */
function entriesByStep(trace) {
  const map = new Map();
  for (const entry of trace) {
    if (!isObject(entry)) continue;
    if (!map.has(entry.step)) map.set(entry.step, []);
    map.get(entry.step).push(entry);
  }
  return map;
}

/**
 * The well-known outcome in words, from its error code: `url` is the document asked, `httpStatus` the status it
 * answered when known. Null when there is no code to tell it from (the caller shows the English detail).
 */
export function describeWellKnown({ code, url, httpStatus = null }, text) {
  const u = String(url);
  switch (code) {
    case null:
    case undefined:
      return null;
    case 'WELL_KNOWN_NOT_FOUND':
      return text('wellKnown.notFound', { url: u });
    case 'WELL_KNOWN_HTTP_STATUS':
      if (typeof httpStatus !== 'number') return text('wellKnown.unexpectedStatus', { url: u });
      return httpStatus >= 500
        ? text('wellKnown.serverError', { url: u, status: httpStatus })
        : text('wellKnown.otherStatus', { url: u, status: httpStatus });
    case 'WELL_KNOWN_INVALID_JSON':
      return text('wellKnown.invalidJson', { url: u });
    case 'WELL_KNOWN_NOT_OBJECT':
      return text('wellKnown.notObject', { url: u });
    case 'WELL_KNOWN_MISSING_M_SERVER':
      return text('wellKnown.missingMServer', { url: u });
    case 'WELL_KNOWN_INVALID_M_SERVER':
      return text('wellKnown.invalidMServer', { url: u });
    case 'WELL_KNOWN_TOO_LARGE':
      return text('wellKnown.tooLarge', { url: u });
    case 'WELL_KNOWN_TOO_MANY_REDIRECTS':
      return text('wellKnown.tooManyRedirects', { url: u });
    case 'WELL_KNOWN_REDIRECT_LOOP':
      return text('wellKnown.redirectLoop', { url: u });
    case 'WELL_KNOWN_BAD_REDIRECT':
      return text('wellKnown.badRedirect', { url: u });
    default:
      return text('wellKnown.unreachable', { url: u, code: String(code) });
  }
}

/**
 * The detail of a well-known outcome (`report.resolution.wellKnown`, or a row of `report.wellKnownByAddress`) in
 * words: told from its code (the native JSON's resolution carries none: its step 3 entry does), or why the document
 * was not asked. Null when there is nothing to tell it from (the caller shows the English detail); null too for a
 * delegation, which the status and m.server already say.
 */
export function describeWellKnownDetail(outcome, resolution, text) {
  if (!isObject(outcome) || outcome.status === 'delegated') return null;
  const res = isObject(resolution) ? resolution : {};
  const trace = Array.isArray(res.trace) ? res.trace.filter(isObject) : [];
  const asked = trace.find((e) => e.step === '3' && typeof e.query === 'string');
  if (outcome.status === 'skipped') {
    if (trace.some((e) => e.step === 'parse')) return text('resolution.error.invalid');
    return skipReason('3', entriesByStep(trace), text);
  }
  const url = asked ? asked.query : `https://${hostOf(res.serverName)}/.well-known/matrix/server`;
  const code = outcome.code ?? (outcome === res.wellKnown && asked ? asked.code : null) ?? null;
  const httpStatus =
    outcome === res.wellKnown && asked && isObject(asked.data) && typeof asked.data.httpStatus === 'number'
      ? asked.data.httpStatus
      : null;
  return describeWellKnown({ code, url, httpStatus }, text);
}

/** Why a resolution has no targets (`report.resolution.error`), by its code. */
export function describeResolutionError(error, resolution, text) {
  if (!isObject(error)) return null;
  const trace = isObject(resolution) && Array.isArray(resolution.trace) ? resolution.trace.filter(isObject) : [];
  switch (error.code) {
    case 'INVALID_SERVER_NAME':
      return text('resolution.error.invalid');
    case 'TIMEOUT':
      return text('resolution.error.timeout');
    case 'NO_TARGETS':
      return text('resolution.error.noTargets');
    case 'SRV_UNAVAILABLE':
      return text('resolution.error.srvUnavailable');
    case 'ADDRESS_DENIED': {
      const denied = [
        ...new Set(trace.filter((e) => e.step === 'policy' && isObject(e.data)).map((e) => String(e.data.ip))),
      ];
      return text('resolution.error.denied', { addresses: denied.join(text('format.listSeparator')) });
    }
    default:
      return typeof error.code === 'string' ? text('resolution.error.failed', { code: error.code }) : null;
  }
}

/** Why a step was passed over, from the steps before it that decided (as the resolver's skipRest says it). */
function skipReason(step, byStep, text) {
  const has = (s, status) => (byStep.get(s) ?? []).some((e) => e.status === status);
  /** The SRV lookup of step `s` (its entry with the `_matrix…` name), when it found records or failed. */
  const srvDecided = (s) => {
    const lookup = (byStep.get(s) ?? []).find(
      (e) => typeof e.query === 'string' && !(isObject(e.data) && 'addresses' in e.data),
    );
    if (lookup === undefined) return null;
    if (lookup.status === 'taken') return text('trace.skip.srvFound', { query: lookup.query, step: s });
    if (lookup.status === 'failed') return text('trace.skip.srvFailed', { query: lookup.query, step: s });
    return null;
  };
  switch (step) {
    case '2':
      return has('1', 'taken') ? text('trace.skip.ipLiteral') : null;
    case '3':
      if (has('1', 'taken')) return text('trace.skip.ipLiteral');
      return has('2', 'taken') ? text('trace.skip.explicitPort') : null;
    case '3.2':
      return has('3.1', 'taken') ? text('trace.skip.mServerIp') : null;
    case '3.3':
    case '3.4':
    case '3.5':
      if (has('3.1', 'taken')) return text('trace.skip.mServerIp');
      if (has('3.2', 'taken')) return text('trace.skip.mServerPort');
      return srvDecided('3.3') ?? (step === '3.5' ? srvDecided('3.4') : null);
    case '4':
    case '5':
    case '6':
      if (has('1', 'taken')) return text('trace.skip.ipLiteral');
      if (has('2', 'taken')) return text('trace.skip.explicitPort');
      if (has('3', 'taken')) return text('trace.skip.delegated');
      if ((byStep.get('3') ?? []).some((e) => e.status === 'failed' && e.code === 'TIMEOUT'))
        return text('trace.skip.stopped');
      return srvDecided('4') ?? (step === '6' ? srvDecided('5') : null);
    default:
      return null;
  }
}

/** An AAAA and A lookup of a host (steps 2, 3.2 to 3.5, 4 to 6). */
function describeAddressLookup(entry, text) {
  const data = entry.data;
  const addresses = Array.isArray(data.addresses) ? data.addresses.map(String) : [];
  const chain = Array.isArray(data.cnameChain) ? data.cnameChain.map(String) : [];
  const via = chain.length > 0 ? text('trace.via', { chain: chain.join(' -> ') }) : '';
  const host = String(entry.query);
  if (entry.status === 'taken') {
    return text('trace.address.taken', {
      host,
      via,
      addresses: addresses.join(text('format.listSeparator')),
      error: entry.code ? String(entry.code) : null,
    });
  }
  if (entry.status === 'failed') return text('trace.address.failed', { host, code: String(entry.code ?? '') });
  if (entry.status === 'empty') return text('trace.address.empty', { host, via });
  return null;
}

/** An SRV lookup (steps 3.3, 3.4, 4, 5). */
function describeSrvLookup(entry, text) {
  const query = String(entry.query);
  const host = query.replace(/^_matrix(-fed)?\._tcp\./, '');
  if (entry.status === 'taken') {
    const count = isObject(entry.data) && Array.isArray(entry.data.records) ? entry.data.records.length : 0;
    return text('trace.srv.taken', { query, count, capped: count > MAX_SRV_TARGETS, max: MAX_SRV_TARGETS, host });
  }
  if (entry.status === 'empty') {
    if (entry.code === 'DNS_NXDOMAIN') return text('trace.srv.nxdomain', { query });
    if (entry.code === 'DNS_NODATA') return text('trace.srv.nodata', { query });
    return null;
  }
  if (entry.status === 'failed') {
    if (entry.code === 'SRV_UNAVAILABLE') return text('trace.srv.unavailable', { query });
    return text('trace.srv.failed', { query, code: String(entry.code ?? '') });
  }
  return null;
}

/**
 * One trace entry's reason in the language of `text` (a `localize(locale)` of texts.js), told from its facts and
 * the `resolution` it belongs to (`report.resolution`: serverName, wellKnown, targets, trace). Null when the entry is
 * of a kind this does not know: the caller then shows the resolver's English reason.
 */
export function describeTraceEntry(entry, resolution, text) {
  if (!isObject(entry)) return null;
  const res = isObject(resolution) ? resolution : {};
  const trace = Array.isArray(res.trace) ? res.trace : [];
  const byStep = entriesByStep(trace);
  const name = String(res.serverName ?? '');
  const wk = isObject(res.wellKnown) ? res.wellKnown : {};
  const mServer = typeof wk.mServer === 'string' ? wk.mServer.trim() : null;
  const data = isObject(entry.data) ? entry.data : null;
  const { step, status } = entry;

  if (step === 'parse')
    return status === 'failed' ? text('trace.parse.failed', { reason: String(entry.reason) }) : null;
  if (step === 'policy') {
    if (data === null || typeof data.ip !== 'string') return null;
    return typeof data.range === 'string'
      ? text('trace.policy.range', { ip: data.ip, range: data.range })
      : text('trace.policy.denied', { ip: data.ip });
  }
  if (status === 'skipped') {
    switch (step) {
      case '1':
        return text('trace.1.skipped', { host: hostOf(name) });
      case '2':
        return skipReason(step, byStep, text) ?? text('trace.2.skipped');
      case '3.1':
        return mServer === null ? null : text('trace.3.1.skipped', { host: hostOf(mServer) });
      case '3.2':
        return (
          skipReason(step, byStep, text) ??
          (mServer === null ? null : text('trace.3.2.skipped', { host: hostOf(mServer) }))
        );
      default:
        return skipReason(step, byStep, text);
    }
  }
  // A lookup of a host's addresses, under any step that connects to a host.
  if (data !== null && 'addresses' in data && typeof entry.query === 'string')
    return describeAddressLookup(entry, text);
  switch (step) {
    case '1':
      return status === 'taken' ? text('trace.1.taken', { name }) : null;
    case '2':
      return status === 'taken' ? text('trace.2.taken', { name }) : null;
    case '3': {
      const query = String(entry.query ?? '');
      if (status === 'taken' && mServer !== null) return text('trace.3.taken', { query, target: mServer });
      if (status !== 'failed') return null;
      if (entry.code === 'TIMEOUT') return text('trace.3.timeout', { query });
      const httpStatus = data !== null && typeof data.httpStatus === 'number' ? data.httpStatus : null;
      const detail =
        describeWellKnown({ code: entry.code ?? null, url: query, httpStatus }, text) ??
        (typeof wk.detail === 'string' ? wk.detail : null);
      return detail === null ? null : text('trace.3.failed', { detail });
    }
    case '3.1':
      return status === 'taken' && mServer !== null ? text('trace.3.1.taken', { target: mServer }) : null;
    case '3.2':
      return status === 'taken' && mServer !== null ? text('trace.3.2.taken', { target: mServer }) : null;
    case '3.3':
    case '3.4':
    case '4':
    case '5':
      return typeof entry.query === 'string' ? describeSrvLookup(entry, text) : null;
    case '3.5':
    case '6': {
      if (status !== 'taken') return null;
      // The host is the one the step then looked up; its port, the targets' (the default port otherwise).
      const lookup = (byStep.get(step) ?? []).find((e) => typeof e.query === 'string');
      const host = lookup ? lookup.query : step === '6' ? hostOf(name) : mServer === null ? null : hostOf(mServer);
      if (host === null) return null;
      const target = (Array.isArray(res.targets) ? res.targets : []).find((t) => isObject(t) && t.step === step);
      return text('trace.plain.taken', { host: String(host), port: target?.port ?? DEFAULT_PORT });
    }
    default:
      return null;
  }
}
