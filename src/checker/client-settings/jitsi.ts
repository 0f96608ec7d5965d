// Checks the Jitsi setting: preferredDomain a host name, its HTTPS answering with a valid certificate, a Jitsi Meet there.

import { CLIENT_SETTING_KEYS, type JitsiSettingReport } from '../../check-report/client-settings.js';
import { isHostName, jitsiFaults } from '../../check-report/client-settings-values.js';
import { REMOTE_TEXT_LIMITS, boundRemoteTextOrNull } from '../../remote-text.js';
import { CLIENT_SETTING_MESSAGES as M } from './messages.js';
import { reportFaults, type SettingProblems } from './faults.js';
import { quote, requestSetting, type SettingsContext } from './request.js';

const [CURRENT, OLDER] = CLIENT_SETTING_KEYS.jitsi;

/**
 * The script Element's Jitsi widget loads from the domain (`https://<preferredDomain>/external_api.js`): a Jitsi Meet
 * server serves it, another site answers 404. Its body is not needed, only that it is there.
 */
export const JITSI_SCRIPT_PATH = '/external_api.js';

function domainOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const domain = (value as Record<string, unknown>)['preferredDomain'];
  return typeof domain === 'string' ? domain : null;
}

/**
 * The Jitsi setting as Element Web reads it (`io.element.jitsi ?? im.vector.riot.jitsi`), its problems, and the
 * request to its server; null when neither key is in the document.
 */
export async function checkJitsi(
  document: Readonly<Record<string, unknown>>,
  context: SettingsContext,
  problems: SettingProblems,
): Promise<JitsiSettingReport | null> {
  const hasCurrent = Object.hasOwn(document, CURRENT) && document[CURRENT] !== null;
  const hasOlder = Object.hasOwn(document, OLDER);
  if (!hasCurrent && !hasOlder) return null;
  const key = hasCurrent ? CURRENT : OLDER;
  const value = document[key];
  const usable = reportFaults(key, jitsiFaults(value), 'CLIENT_JITSI_INVALID', problems);
  if (hasCurrent && hasOlder) {
    const [current, older] = [domainOf(document[CURRENT]), domainOf(document[OLDER])];
    if (current !== older)
      problems.add(
        'CLIENT_JITSI_KEYS_DISAGREE',
        'warning',
        M.jitsiKeysDisagree({
          current: CURRENT,
          currentDomain: quote(current),
          older: OLDER,
          olderDomain: quote(older),
        }),
      );
  }
  const domain = usable ? domainOf(value) : null;
  const fields = usable ? (value as Readonly<Record<string, unknown>>) : {};
  const useFor1To1Calls = typeof fields['useFor1To1Calls'] === 'boolean' ? fields['useFor1To1Calls'] : null;
  const preferredDomain = boundRemoteTextOrNull(domain, REMOTE_TEXT_LIMITS.name);
  if (domain === null || !isHostName(domain)) return { key, preferredDomain, useFor1To1Calls, request: null };

  // A bare host, like the server name: dialled on the transport's port (443, or a lab's) unless it names its own.
  const url = new URL(`https://${domain}${JITSI_SCRIPT_PATH}`);
  const answer = await requestSetting(url, context, {
    maxBodyBytes: 64 * 1024,
    headers: { accept: '*/*' },
    ...(context.transport.port === undefined ? {} : { port: context.transport.port }),
  });
  const { request } = answer;
  if (request.error !== null)
    problems.add(
      'CLIENT_JITSI_UNREACHABLE',
      'error',
      M.jitsiUnreachable({ domain: quote(domain), detail: request.error.message }),
      request.error.code,
    );
  else if (request.httpStatus !== 200)
    problems.add(
      'CLIENT_JITSI_NOT_JITSI',
      'warning',
      M.jitsiNotJitsi({ url: request.url, status: String(request.httpStatus) }),
    );
  return { key, preferredDomain, useFor1To1Calls, request };
}
