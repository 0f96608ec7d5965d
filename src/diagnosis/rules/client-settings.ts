// Rules over the client settings check: each problem it reports becomes its hint, with a fix naming the values seen.

import type { ClientSettingProblemCode, ClientSettingsReport, RtcFocusReport } from '../../check-report/index.js';
import { localize, type Locale, type Localized } from '../../i18n/index.js';
import type { HintId } from '../catalogue.js';
import type { Finding, Rule } from '../rule.js';
import { list } from '../text.js';
import { CLIENT_SETTING_FIX_TEXTS } from './client-settings-fixes.js';
import {
  CLIENT_SETTING_HINT_TEXTS,
  CLIENT_SETTING_PROBLEM_TEXTS,
  readClientSettingProblem,
} from './client-settings-texts.js';
import { sayAgain, unreadWords } from './read-back.js';

/** The hint of each problem code: `CLIENT_E2EE_INVALID` is `client-e2ee-invalid`, and so on for every code. */
export function clientSettingHintId(code: ClientSettingProblemCode): HintId {
  return code.toLowerCase().replaceAll('_', '-') as HintId;
}

/** The first LiveKit service URL of the foci that `pick` selects, else the first one, else a placeholder. */
function livekitUrl(settings: ClientSettingsReport, pick: (focus: RtcFocusReport) => boolean): string {
  const foci = settings.rtc?.foci.filter((f) => f.type === 'livekit' && f.livekitServiceUrl !== null) ?? [];
  const chosen = foci.find(pick) ?? foci[0];
  return chosen?.livekitServiceUrl ?? '<livekit_service_url>';
}

/** The fix of one hint, with the values of this report, in `locale`. */
function fixFor(id: HintId, settings: ClientSettingsReport, locale: Locale): string {
  const FIX = localize(CLIENT_SETTING_FIX_TEXTS, locale);
  const e2eeKey = settings.e2ee?.key ?? 'io.element.e2ee';
  switch (id) {
    case 'client-setting-wrong-type':
      return FIX('client-setting-wrong-type');
    case 'client-setting-unknown':
      return FIX('client-setting-unknown');
    case 'client-e2ee-invalid':
      return FIX('client-e2ee-invalid', { key: e2eeKey });
    case 'client-e2ee-older-key':
      return FIX('client-e2ee-older-key');
    case 'client-e2ee-retired-settings': {
      const e2ee = settings.e2ee;
      const fields = [
        e2ee?.secureBackupRequired !== null ? '"secure_backup_required"' : null,
        e2ee?.secureBackupSetupMethods !== null ? '"secure_backup_setup_methods"' : null,
      ].filter((f) => f !== null);
      return FIX('client-e2ee-retired-settings', {
        key: e2eeKey,
        fields: list(
          fields.length === 0 ? ['"secure_backup_required"', '"secure_backup_setup_methods"'] : fields,
          4,
          locale,
        ),
      });
    }
    case 'client-e2ee-contradictory':
      return FIX('client-e2ee-contradictory', { key: e2eeKey });
    case 'client-jitsi-invalid':
      return FIX('client-jitsi-invalid', { key: settings.jitsi?.key ?? 'im.vector.riot.jitsi' });
    case 'client-jitsi-unreachable':
      return FIX('client-jitsi-unreachable', { domain: settings.jitsi?.preferredDomain ?? '<preferredDomain>' });
    case 'client-jitsi-not-jitsi':
      return FIX('client-jitsi-not-jitsi', { domain: settings.jitsi?.preferredDomain ?? '<preferredDomain>' });
    case 'client-jitsi-keys-disagree':
      return FIX('client-jitsi-keys-disagree');
    case 'client-rtc-foci-invalid':
      return FIX('client-rtc-foci-invalid');
    case 'client-rtc-livekit-unreachable':
      return FIX('client-rtc-livekit-unreachable', {
        url: livekitUrl(settings, (f) => f.preflights.length > 0 && f.preflights.every((p) => p.error !== null)),
      });
    case 'client-rtc-livekit-cors':
      return FIX('client-rtc-livekit-cors', {
        url: livekitUrl(settings, (f) => f.preflights.some((p) => p.error === null)),
      });
    case 'client-rtc-livekit-legacy-only':
      return FIX('client-rtc-livekit-legacy-only', {
        url: livekitUrl(settings, (f) => f.preflights.some((p) => p.error === null)),
      });
    case 'client-rtc-transports-missing':
      return FIX('client-rtc-transports-missing', { url: livekitUrl(settings, () => true) });
    case 'client-rtc-transports-disagree':
      return FIX('client-rtc-transports-disagree');
    case 'client-auth-invalid':
      return FIX('client-auth-invalid', { key: settings.authentication?.key ?? 'org.matrix.msc2965.authentication' });
    case 'client-auth-issuer-unreachable':
      return FIX('client-auth-issuer-unreachable', {
        url: settings.authentication?.openidConfiguration?.url ?? '<issuer>/.well-known/openid-configuration',
      });
    case 'client-auth-issuer-mismatch':
      return FIX('client-auth-issuer-mismatch', {
        served: JSON.stringify(settings.authentication?.openidConfiguration?.issuer ?? ''),
      });
    case 'client-auth-issuer-cors':
      return FIX('client-auth-issuer-cors', {
        url: settings.authentication?.openidConfiguration?.url ?? '<issuer>/.well-known/openid-configuration',
      });
    case 'client-auth-metadata-missing':
      return FIX('client-auth-metadata-missing', {
        key: settings.authentication?.key ?? 'org.matrix.msc2965.authentication',
      });
    case 'client-auth-metadata-disagrees':
      return FIX('client-auth-metadata-disagrees', {
        served: JSON.stringify(settings.authentication?.authMetadata?.issuer ?? ''),
      });
    case 'client-tile-server-invalid':
      return FIX('client-tile-server-invalid');
    case 'client-tile-server-broken':
      return FIX('client-tile-server-broken', { url: settings.tileServer?.mapStyleUrl ?? '<map_style_url>' });
    case 'client-tile-server-cors':
      return FIX('client-tile-server-cors', { url: settings.tileServer?.mapStyleUrl ?? '<map_style_url>' });
    case 'client-tile-server-unstable-key':
      return FIX('client-tile-server-unstable-key');
    default:
      return localize(CLIENT_SETTING_HINT_TEXTS, locale)('other');
  }
}

/**
 * A problem's sentence in `locale`: as the check wrote it in English; in another language said again from the values
 * read back out of it (shown as it is, marked, when it cannot be read back).
 */
function problemSentence(code: string, message: string, locale: Locale): string {
  if (locale === 'en') return message;
  const read = readClientSettingProblem(code, message);
  if (read === null) return unreadWords(message, locale);
  return sayAgain(CLIENT_SETTING_PROBLEM_TEXTS, locale, read);
}

/** Every problem of the client settings check, one hint per id (the details of one id joined). */
export const clientSettingHints: Rule = (facts) => {
  const settings = facts.client?.settings ?? null;
  if (settings === null) return [];
  const locale = facts.locale;
  const t: Localized<(typeof CLIENT_SETTING_HINT_TEXTS)['en']> = localize(CLIENT_SETTING_HINT_TEXTS, locale);
  const byId = new Map<HintId, string[]>();
  for (const problem of settings.problems) {
    const id = clientSettingHintId(problem.code);
    const details = byId.get(id) ?? [];
    const said = problemSentence(problem.code, problem.message, locale);
    if (!details.includes(said)) details.push(said);
    byId.set(id, details);
  }
  return [...byId].map(([id, details]): Finding => ({
    id,
    detail: t('detail', { sentences: details }),
    fix: fixFor(id, settings, locale),
  }));
};

/** The rules of this file, in order. */
export const clientSettingRules: readonly Rule[] = [clientSettingHints];
