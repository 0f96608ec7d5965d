// Checks the MatrixRTC foci (Element Call): the list, each LiveKit service's CORS preflight, the homeserver's own list.

import {
  CLIENT_SETTING_KEYS,
  type RtcFocusReport,
  type RtcSettingReport,
  type RtcTransportsReport,
  type SettingRequest,
} from '../../check-report/client-settings.js';
import { rtcFociFaults } from '../../check-report/client-settings-values.js';
import { isJsonObject, readJsonBody } from '../../net/json-body.js';
import {
  REMOTE_LIST_LIMIT,
  REMOTE_TEXT_LIMITS,
  boundRemoteStringList,
  boundRemoteTextOrNull,
} from '../../remote-text.js';
import { CLIENT_SETTING_MESSAGES as M } from './messages.js';
import { SettingProblems, reportFaults } from './faults.js';
import {
  NOT_OFFERED_STATUSES,
  corsAllows,
  parseHttpsUrl,
  quote,
  requestSetting,
  type SettingAnswer,
  type SettingsContext,
} from './request.js';

const [KEY] = CLIENT_SETTING_KEYS.rtcFoci;

/** LiveKit foci whose service is checked: real lists have one or two entries; a long list costs others' servers. */
export const MAX_CHECKED_FOCI = 4;

/**
 * The paths Element Call POSTs a JSON body to under `livekit_service_url`: `/get_token` (MSC4195, asked first) and
 * `/sfu/get` (the older lk-jwt-service endpoint, its fallback). It appends them to the URL as written.
 */
export const LIVEKIT_TOKEN_PATHS: readonly string[] = Object.freeze(['/get_token', '/sfu/get']);

/**
 * The homeserver's transports (MSC4143: `GET /_matrix/client/v1/rtc/transports`, authenticated; homeservers serve the
 * unstable path today), asked without an access token: 401 still tells that the endpoint is there.
 */
export const RTC_TRANSPORTS_PATHS: readonly string[] = Object.freeze([
  '/_matrix/client/v1/rtc/transports',
  '/_matrix/client/unstable/org.matrix.msc4143/rtc/transports',
]);

function tokens(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== ''),
  );
}

/** What a preflight answer lacks for a browser to POST JSON (Fetch standard, "CORS-preflight fetch"). */
function preflightMissing(answer: SettingAnswer, origin: string): string[] {
  const missing: string[] = [];
  if (!corsAllows(answer.request, origin)) missing.push('Access-Control-Allow-Origin: *');
  const headers = tokens(answer.headers['access-control-allow-headers']);
  // Content-Type: application/json is not a CORS-safelisted header value, so it must be allowed; POST needs no listing.
  if (!headers.has('*') && !headers.has('content-type')) missing.push('Access-Control-Allow-Headers: Content-Type');
  return missing;
}

function preflightOk(answer: SettingAnswer, origin: string): boolean {
  const status = answer.request.httpStatus;
  return (
    answer.request.error === null &&
    status !== null &&
    status >= 200 &&
    status < 300 &&
    preflightMissing(answer, origin).length === 0
  );
}

/** Checks one LiveKit focus's service: both token endpoints' preflights, as a browser would send them. */
async function checkLivekit(
  serviceUrl: string,
  context: SettingsContext,
  problems: SettingProblems,
): Promise<SettingRequest[]> {
  const answers = await Promise.all(
    LIVEKIT_TOKEN_PATHS.map((path) =>
      requestSetting(new URL(`${serviceUrl}${path}`), context, {
        method: 'OPTIONS',
        maxBodyBytes: 16 * 1024,
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      }),
    ),
  );
  const [current, legacy] = answers;
  const url = quote(serviceUrl, 'url');
  if (answers.every((a) => a.request.error !== null)) {
    const first = answers[0]!.request.error!;
    problems.add(
      'CLIENT_RTC_LIVEKIT_UNREACHABLE',
      'error',
      M.livekitUnreachable({ url, detail: first.message }),
      first.code,
    );
  } else if (current !== undefined && preflightOk(current, context.origin)) {
    // The current endpoint works: nothing to say.
  } else if (legacy !== undefined && preflightOk(legacy, context.origin)) {
    problems.add('CLIENT_RTC_LIVEKIT_LEGACY_ONLY', 'info', M.livekitLegacyOnly({ url }));
  } else {
    const described = answers.map((a, i) =>
      M.preflightAnswer({
        path: LIVEKIT_TOKEN_PATHS[i] ?? '',
        status: a.request.error !== null ? a.request.error.code : `HTTP ${String(a.request.httpStatus)}`,
        missing: a.request.error !== null ? '' : preflightMissing(a, context.origin).join(' and '),
      }),
    );
    problems.add('CLIENT_RTC_LIVEKIT_CORS', 'error', M.livekitCors({ url, answers: described.join('; ') }));
  }
  return answers.map((a) => a.request);
}

/** The `livekit_service_url` of every `livekit` entry of a transport list (the foci, or the homeserver's list). */
function livekitUrls(list: readonly unknown[]): string[] {
  const urls: string[] = [];
  for (const entry of list) {
    if (!isJsonObject(entry) || entry['type'] !== 'livekit') continue;
    const url = entry['livekit_service_url'];
    if (typeof url === 'string') urls.push(url);
  }
  return urls;
}

/** Asks both transport endpoints at once; the most telling answer decides (a list, then 401, then 404). */
async function homeserverTransports(base: string, context: SettingsContext): Promise<RtcTransportsReport> {
  const answers = await Promise.all(
    RTC_TRANSPORTS_PATHS.map((path) => requestSetting(new URL(`${base}${path}`), context, { maxBodyBytes: 64 * 1024 })),
  );
  const report = (
    answer: SettingAnswer,
    status: RtcTransportsReport['status'],
    list: readonly unknown[] | null = null,
  ): RtcTransportsReport => ({
    status,
    url: answer.request.url,
    httpStatus: answer.request.httpStatus,
    livekitServiceUrls:
      list === null ? null : boundRemoteStringList(livekitUrls(list), REMOTE_LIST_LIMIT, REMOTE_TEXT_LIMITS.url),
    types:
      list === null
        ? null
        : boundRemoteStringList(
            list.map((e) => (isJsonObject(e) && typeof e['type'] === 'string' ? e['type'] : '(no type)')),
          ),
  });
  for (const answer of answers) {
    if (answer.request.httpStatus !== 200 || answer.body === null) continue;
    const read = readJsonBody(answer.body);
    if (!read.ok || !isJsonObject(read.value)) continue;
    // MSC4143 names the list `transports`; the unstable endpoint of Synapse and matrix-js-sdk call it `rtc_transports`.
    const list = read.value['transports'] ?? read.value['rtc_transports'];
    if (Array.isArray(list)) return report(answer, 'listed', list);
  }
  const signIn = answers.find((a) => a.request.httpStatus === 401 || a.request.httpStatus === 403);
  if (signIn !== undefined) return report(signIn, 'needs-sign-in');
  if (answers.every((a) => a.request.httpStatus !== null && NOT_OFFERED_STATUSES.has(a.request.httpStatus)))
    return report(answers[0]!, 'not-offered');
  return report(answers.find((a) => a.request.error === null) ?? answers[0]!, 'failed');
}

/** `url` without trailing slashes, for comparing two lists written by different hands. */
function comparable(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The MatrixRTC foci of the document, the preflights of the first {@link MAX_CHECKED_FOCI} LiveKit services, and the
 * homeserver's own transports compared with them; null when the document has no `org.matrix.msc4143.rtc_foci`.
 */
export async function checkRtc(
  document: Readonly<Record<string, unknown>>,
  context: SettingsContext,
  problems: SettingProblems,
): Promise<RtcSettingReport | null> {
  if (!Object.hasOwn(document, KEY)) return null;
  const value = document[KEY];
  const usable = reportFaults(KEY, rtcFociFaults(value), 'CLIENT_RTC_FOCI_INVALID', problems);
  const list: readonly unknown[] = usable && Array.isArray(value) ? value : [];
  const checked = list.slice(0, REMOTE_LIST_LIMIT).map((entry, index) => {
    const focus = isJsonObject(entry) ? entry : {};
    const type = typeof focus['type'] === 'string' ? focus['type'] : null;
    const serviceUrl = typeof focus['livekit_service_url'] === 'string' ? focus['livekit_service_url'] : null;
    return { index, type, serviceUrl };
  });
  const livekit = checked.filter((f) => f.type === 'livekit' && parseHttpsUrl(f.serviceUrl) !== null);
  const toCheck = new Set(livekit.slice(0, MAX_CHECKED_FOCI).map((f) => f.index));
  // One list of problems per focus, joined in the list's order whatever answers first.
  const focusProblems = checked.map(() => new SettingProblems());
  const [preflights, homeserver] = await Promise.all([
    Promise.all(
      checked.map((f, i) =>
        toCheck.has(f.index) && f.serviceUrl !== null ? checkLivekit(f.serviceUrl, context, focusProblems[i]!) : [],
      ),
    ),
    context.homeserverBase === null ? null : homeserverTransports(context.homeserverBase, context),
  ]);
  for (const sink of focusProblems) problems.list.push(...sink.list);
  const foci: RtcFocusReport[] = checked.map((f, i) => ({
    index: f.index,
    type: boundRemoteTextOrNull(f.type, REMOTE_TEXT_LIMITS.name),
    livekitServiceUrl: boundRemoteTextOrNull(f.serviceUrl, REMOTE_TEXT_LIMITS.url),
    preflights: preflights[i] ?? [],
  }));

  const wellKnownUrls = livekitUrls(list);
  if (homeserver !== null && wellKnownUrls.length > 0) {
    if (homeserver.status === 'not-offered') {
      problems.add(
        'CLIENT_RTC_TRANSPORTS_MISSING',
        'warning',
        M.transportsMissing({ key: KEY, base: quote(context.homeserverBase, 'url') }),
      );
    } else if (homeserver.status === 'listed' && homeserver.livekitServiceUrls !== null) {
      const ours = new Set(wellKnownUrls.map(comparable));
      const theirs = new Set(homeserver.livekitServiceUrls.map(comparable));
      const same = ours.size === theirs.size && [...ours].every((u) => theirs.has(u));
      // A homeserver listing only transports of other types (MSC4195's `m.livekit`) has nothing to compare with.
      const comparableLists = theirs.size > 0 || (homeserver.types?.length ?? 0) === 0;
      if (!same && comparableLists)
        problems.add(
          'CLIENT_RTC_TRANSPORTS_DISAGREE',
          'warning',
          M.transportsDisagree({
            wellKnown: [...ours].map((u) => quote(u, 'url')).join(', '),
            homeserver: theirs.size === 0 ? 'none' : [...theirs].map((u) => quote(u, 'url')).join(', '),
          }),
        );
    }
  }
  return { key: KEY, foci, count: list.length, homeserver };
}
