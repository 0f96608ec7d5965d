// Checks the map tile server setting (MSC3488): the key name, map_style_url an https URL serving a style with CORS.

import { CLIENT_SETTING_KEYS, type TileServerSettingReport } from '../../check-report/client-settings.js';
import { tileServerFaults } from '../../check-report/client-settings-values.js';
import { isJsonObject, readJsonBody } from '../../net/json-body.js';
import { REMOTE_TEXT_LIMITS, boundRemoteTextOrNull } from '../../remote-text.js';
import { CLIENT_SETTING_MESSAGES as M } from './messages.js';
import { reportFaults, type SettingProblems } from './faults.js';
import { corsAllows, failureOf, parseHttpsUrl, quote, requestSetting, type SettingsContext } from './request.js';

const [STABLE, UNSTABLE] = CLIENT_SETTING_KEYS.tileServer;

/** Largest style read: real styles are tens of KiB; a larger one is not judged (MapLibre would still load it). */
const MAX_STYLE_BYTES = 1024 * 1024;

/** Why a body is not a MapLibre style (Style Specification: `version` 8, `sources`, `layers`), or null. */
function styleProblem(body: Uint8Array): string | null {
  const read = readJsonBody(body);
  if (!read.ok || !isJsonObject(read.value)) return M.notJson;
  const style = read.value;
  return style['version'] === 8 && isJsonObject(style['sources']) && Array.isArray(style['layers']) ? null : M.notStyle;
}

/**
 * The tile server as Element reads it (`m.tile_server`, else `org.matrix.msc3488.tile_server`) and the fetch of its
 * map style, which a web client's map library makes from the page (so it needs CORS); null when neither key is set.
 */
export async function checkTileServer(
  document: Readonly<Record<string, unknown>>,
  context: SettingsContext,
  problems: SettingProblems,
): Promise<TileServerSettingReport | null> {
  const key = Object.hasOwn(document, STABLE) ? STABLE : Object.hasOwn(document, UNSTABLE) ? UNSTABLE : null;
  if (key === null) return null;
  if (key === UNSTABLE)
    problems.add(
      'CLIENT_TILE_SERVER_UNSTABLE_KEY',
      'info',
      M.tileServerUnstableKey({ unstable: UNSTABLE, stable: STABLE }),
    );
  const value = document[key];
  const usable = reportFaults(key, tileServerFaults(value), 'CLIENT_TILE_SERVER_INVALID', problems);
  const raw = usable && isJsonObject(value) ? value['map_style_url'] : undefined;
  const mapStyleUrl = typeof raw === 'string' ? raw : null;
  const url = parseHttpsUrl(mapStyleUrl);
  if (url === null || mapStyleUrl === null)
    return { key, mapStyleUrl: boundRemoteTextOrNull(mapStyleUrl, REMOTE_TEXT_LIMITS.url), style: null };

  const answer = await requestSetting(url, context, { maxBodyBytes: MAX_STYLE_BYTES });
  const failure = answer.tooLarge ? null : (failureOf(answer.request) ?? styleProblem(answer.body ?? new Uint8Array()));
  if (failure !== null)
    problems.add(
      'CLIENT_TILE_SERVER_BROKEN',
      'warning',
      M.tileServerBroken({ url: quote(mapStyleUrl, 'url'), detail: failure }),
      answer.request.error?.code ?? null,
    );
  if (answer.request.httpStatus === 200 && !corsAllows(answer.request, context.origin))
    problems.add(
      'CLIENT_TILE_SERVER_CORS',
      'warning',
      M.tileServerCors({
        url: quote(mapStyleUrl, 'url'),
        allowOrigin: answer.request.allowOrigin === null ? M.nothingSent : quote(answer.request.allowOrigin),
      }),
    );
  return { key, mapStyleUrl: boundRemoteTextOrNull(mapStyleUrl, REMOTE_TEXT_LIMITS.url), style: answer.request };
}
