// Checks the OAuth 2.0 / OIDC sign-in setting: the issuer, its OpenID configuration with CORS, the homeserver's metadata.

import { CLIENT_SETTING_KEYS, type AuthSettingReport } from '../../check-report/client-settings.js';
import { authenticationFaults, httpsUrlFault } from '../../check-report/client-settings-values.js';
import { isJsonObject, readJsonBody } from '../../net/json-body.js';
import { REMOTE_TEXT_LIMITS, boundRemoteTextOrNull } from '../../remote-text.js';
import { CLIENT_SETTING_MESSAGES as M } from './messages.js';
import { reportFaults, type SettingProblems } from './faults.js';
import { NOT_OFFERED_STATUSES, corsAllows, failureOf, quote, requestSetting, type SettingsContext } from './request.js';

const [CURRENT, STABLE_DRAFT] = CLIENT_SETTING_KEYS.authentication;

/**
 * The homeserver's authorization server metadata (client-server API `GET /_matrix/client/v1/auth_metadata`, spec
 * v1.15, MSC2965's current form), and its unstable path, which matrix-js-sdk asks of servers older than v1.15.
 */
export const AUTH_METADATA_PATHS: readonly string[] = Object.freeze([
  '/_matrix/client/v1/auth_metadata',
  '/_matrix/client/unstable/org.matrix.msc2965/auth_metadata',
]);

/** An issuer identifier compared the lenient way: one trailing slash does not make another issuer. */
function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

/** The `issuer` string of a JSON answer, or null. */
function issuerOf(body: Uint8Array | null): { json: boolean; issuer: string | null } {
  if (body === null) return { json: false, issuer: null };
  const read = readJsonBody(body);
  if (!read.ok || !isJsonObject(read.value)) return { json: false, issuer: null };
  const issuer = read.value['issuer'];
  return { json: true, issuer: typeof issuer === 'string' ? issuer : null };
}

/** The homeserver's auth metadata: both paths at once, the stable one's answer first. */
async function authMetadata(
  base: string,
  context: SettingsContext,
): Promise<NonNullable<AuthSettingReport['authMetadata']>> {
  const answers = await Promise.all(
    AUTH_METADATA_PATHS.map((path) => requestSetting(new URL(`${base}${path}`), context, { maxBodyBytes: 256 * 1024 })),
  );
  for (const answer of answers) {
    if (answer.request.httpStatus !== 200) continue;
    const { json, issuer } = issuerOf(answer.body);
    if (json)
      return {
        url: answer.request.url,
        httpStatus: 200,
        offered: true,
        issuer: boundRemoteTextOrNull(issuer, REMOTE_TEXT_LIMITS.url),
      };
  }
  const notOffered = answers.every(
    (a) => a.request.httpStatus !== null && NOT_OFFERED_STATUSES.has(a.request.httpStatus),
  );
  const first = answers[0]!;
  return {
    url: first.request.url,
    httpStatus: first.request.httpStatus,
    offered: notOffered ? false : null,
    issuer: null,
  };
}

/**
 * The sign-in setting (`org.matrix.msc2965.authentication`, or the draft's `m.authentication`), its issuer's OpenID
 * configuration (OpenID Connect Discovery 1.0 §4: `<issuer>/.well-known/openid-configuration`, read with CORS by web
 * clients) and the homeserver's auth metadata, which must name the same issuer; null when neither key is there.
 */
export async function checkAuthentication(
  document: Readonly<Record<string, unknown>>,
  context: SettingsContext,
  problems: SettingProblems,
): Promise<AuthSettingReport | null> {
  const key = Object.hasOwn(document, CURRENT) ? CURRENT : Object.hasOwn(document, STABLE_DRAFT) ? STABLE_DRAFT : null;
  if (key === null) return null;
  const value = document[key];
  const usable = reportFaults(key, authenticationFaults(value), 'CLIENT_AUTH_INVALID', problems);
  const fields = usable && isJsonObject(value) ? value : {};
  const issuer = typeof fields['issuer'] === 'string' ? fields['issuer'] : null;
  const account = typeof fields['account'] === 'string' ? fields['account'] : null;
  const issuerUsable = issuer !== null && httpsUrlFault(issuer, true) === null;

  const configUrl = issuerUsable ? new URL(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`) : null;
  const [config, metadata] = await Promise.all([
    configUrl === null ? null : requestSetting(configUrl, context, { maxBodyBytes: 256 * 1024 }),
    !issuerUsable || context.homeserverBase === null ? null : authMetadata(context.homeserverBase, context),
  ]);

  let openidConfiguration: AuthSettingReport['openidConfiguration'] = null;
  if (config !== null && issuer !== null) {
    const { json, issuer: served } = issuerOf(config.body);
    openidConfiguration = { ...config.request, issuer: boundRemoteTextOrNull(served, REMOTE_TEXT_LIMITS.url) };
    const failure = config.tooLarge ? null : (failureOf(config.request) ?? (json ? null : M.notJson));
    if (failure !== null) {
      problems.add(
        'CLIENT_AUTH_ISSUER_UNREACHABLE',
        'warning',
        M.issuerUnreachable({ url: config.request.url, detail: failure }),
        config.request.error?.code ?? null,
      );
    } else {
      if (served !== null && !sameIssuer(served, issuer))
        problems.add(
          'CLIENT_AUTH_ISSUER_MISMATCH',
          'warning',
          M.issuerMismatch({ url: config.request.url, served: quote(served, 'url'), configured: quote(issuer, 'url') }),
        );
      if (!corsAllows(config.request, context.origin))
        problems.add(
          'CLIENT_AUTH_ISSUER_CORS',
          'warning',
          M.issuerCors({
            url: config.request.url,
            allowOrigin: config.request.allowOrigin === null ? M.nothingSent : quote(config.request.allowOrigin),
          }),
        );
    }
  }
  if (metadata !== null && issuer !== null) {
    if (metadata.offered === false)
      problems.add(
        'CLIENT_AUTH_METADATA_MISSING',
        'warning',
        M.metadataMissing({ key, base: quote(context.homeserverBase, 'url') }),
      );
    else if (metadata.offered === true && metadata.issuer !== null && !sameIssuer(metadata.issuer, issuer))
      problems.add(
        'CLIENT_AUTH_METADATA_DISAGREES',
        'warning',
        M.metadataDisagrees({
          url: metadata.url,
          served: quote(metadata.issuer, 'url'),
          configured: quote(issuer, 'url'),
        }),
      );
  }
  return {
    key,
    issuer: boundRemoteTextOrNull(issuer, REMOTE_TEXT_LIMITS.url),
    account: boundRemoteTextOrNull(account, REMOTE_TEXT_LIMITS.url),
    openidConfiguration,
    authMetadata: metadata,
  };
}
