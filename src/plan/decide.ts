// The pure delegation decision: is delegation needed, which method, which m.server or SRV target, and why.

import { MatrixDelegationError } from '../errors.js';
import { DEFAULT_LOCALE, localize, type Locale } from '../i18n/index.js';
import { DEFAULT_FEDERATION_PORT } from '../proxy-config/model.js';
import { formatHost, parseServerName, serverNameProblem } from '../server-name/index.js';
import type { ServerName } from '../server-name/index.js';
import { PLAN_TEXTS } from './plan-texts.js';
import { probeSummary } from './probe-summary.js';
import type { DelegationMethod, DirectProbe, HomeserverAddress, PlanDecision } from './types.js';

/**
 * Reads the homeserver address: `https://host[:port][/path]`, or `host[:port]` (https assumed). Federation needs
 * TLS, so plain http is refused.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for anything that is not an https URL of a host (its message in
 *   `locale`, English by default).
 * @example
 * ```ts
 * parseHomeserver('matrix.example.com'); // { baseUrl: 'https://matrix.example.com/', host: 'matrix.example.com', port: 443 }
 * ```
 */
export function parseHomeserver(text: string, locale: Locale = DEFAULT_LOCALE): HomeserverAddress {
  const t = localize(PLAN_TEXTS, locale);
  const shown = JSON.stringify(text);
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new MatrixDelegationError('INVALID_ARGUMENT', t('error.homeserverNotUrl', { text: shown }));
  }
  if (url.protocol !== 'https:') {
    throw new MatrixDelegationError('INVALID_ARGUMENT', t('error.homeserverNotHttps', { text: shown }));
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new MatrixDelegationError('INVALID_ARGUMENT', t('error.homeserverExtra', { text: shown }));
  }
  const host = url.hostname.toLowerCase();
  const port = url.port === '' ? 443 : Number(url.port);
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return { baseUrl: `https://${url.host}${path}`, host, port };
}

/**
 * Parses the server name for a plan.
 *
 * @throws MatrixDelegationError `INVALID_SERVER_NAME` with the grammar rule's explanation (in `locale`).
 */
export function parsePlanServerName(serverName: string, locale: Locale = DEFAULT_LOCALE): ServerName {
  const parsed = parseServerName(serverName);
  if (!parsed.ok)
    throw new MatrixDelegationError('INVALID_SERVER_NAME', serverNameProblem(parsed.error, locale), {
      detail: { rule: parsed.error.rule },
    });
  return parsed.value;
}

/**
 * Decides whether `serverName` needs delegation to reach `homeserver`, and how (seed: "when is delegation
 * needed"; spec server-server API "Resolving server names"):
 * - an IP literal or a name with a port: servers connect there directly; no delegation can apply;
 * - the homeserver is the server name's host on port 8448, or the probe found it answering there with a
 *   certificate for the server name: no delegation needed;
 * - otherwise: delegation, by `/.well-known/matrix/server` unless `method` is `srv` (not recommended: the
 *   certificate must carry the server name, and it cannot carry client settings).
 *
 * Pure: the probe result is an input (null when it was skipped). The reasons and caveats are in `locale` (English by
 * default; another language describes the probe from its findings, whatever language its summary is in).
 *
 * @example
 * ```ts
 * decideDelegation('example.com', parseHomeserver('https://matrix.example.com'), null);
 * // { verdict: 'needed', method: 'well-known', mServer: 'matrix.example.com:443', ... }
 * ```
 */
export function decideDelegation(
  serverName: string,
  homeserver: HomeserverAddress,
  probe: DirectProbe | null,
  method: DelegationMethod = 'well-known',
  federationPort: number = DEFAULT_FEDERATION_PORT,
  locale: Locale = DEFAULT_LOCALE,
): PlanDecision {
  const t = localize(PLAN_TEXTS, locale);
  const name = parsePlanServerName(serverName, locale);
  const host = name.kind === 'dns' ? name.host.toLowerCase() : formatHost(name);
  const none = { method: null, mServer: null, srvTarget: null, synapseCanServe: false, caveats: [] } as const;
  // English keeps the probe's own summary; another language says it again from the probe's findings.
  const summary = probe === null ? '' : locale === 'en' ? probe.summary : probeSummary(probe, locale);
  const probed = probe === null ? [] : [t('reason.probe', { host, port: probe.port, summary })];

  if (name.kind !== 'dns') {
    return {
      ...none,
      verdict: 'not-possible',
      reasons: [t('reason.ipLiteral', { serverName, port: name.port ?? federationPort }), ...probed],
    };
  }
  if (name.port !== undefined) {
    return {
      ...none,
      verdict: 'not-possible',
      reasons: [t('reason.explicitPort', { serverName, host, port: name.port }), ...probed],
    };
  }
  if (homeserver.host === host && homeserver.port === federationPort) {
    return {
      ...none,
      verdict: 'not-needed',
      reasons: [t('reason.atDefault', { host, port: federationPort, serverName }), ...probed],
    };
  }
  if (probe?.works === true) {
    return {
      ...none,
      verdict: 'not-needed',
      reasons: [t('reason.alreadyAnswers', { host, port: probe.port }), ...probed, t('reason.wellKnownWouldWin')],
    };
  }
  const target = `${homeserver.host}:${homeserver.port}`;
  const why =
    probe === null
      ? t('reason.notProbed', { host, port: federationPort, homeserver: target })
      : t('reason.wouldFail', { host, port: probe.port, summary });
  if (method === 'srv') {
    return {
      verdict: 'needed',
      reasons: [why, t('reason.srv', { host, target })],
      method: 'srv',
      mServer: null,
      srvTarget: { host: homeserver.host, port: homeserver.port },
      synapseCanServe: false,
      caveats: [
        t('caveat.srvCertificate', { target, host, homeserverHost: homeserver.host }),
        t('caveat.srvClients', { host }),
      ],
    };
  }
  const synapseCanServe = homeserver.host === host && homeserver.port === 443;
  return {
    verdict: 'needed',
    reasons: [why, t('reason.wellKnown', { host, target })],
    method: 'well-known',
    mServer: target,
    srvTarget: null,
    synapseCanServe,
    caveats: [
      t('caveat.documentPort', { host }),
      t('caveat.homeserverCertificate', { target, homeserverHost: homeserver.host }),
      ...(synapseCanServe ? [t('caveat.synapseServes', { host })] : []),
    ],
  };
}
