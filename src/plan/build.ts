// Turns a delegation decision into what to deploy: documents, a matrix-delegation config, snippets, DNS, Synapse.

import { isIP } from 'node:net';
import { stringify } from 'yaml';
import { MatrixDelegationError } from '../errors.js';
import { DEFAULT_LOCALE, localize } from '../i18n/index.js';
import { generateProxyConfig } from '../proxy-config/index.js';
import { parseConfigForSnippets } from '../proxy-config/load.js';
import { dnsRecords, srvRecordLine } from '../proxy-config/dns.js';
import { synapseConfig } from '../proxy-config/synapse.js';
import { WEB_SERVER_TARGETS } from '../proxy-config/types.js';
import type { WebServerTarget } from '../proxy-config/types.js';
import { formatConfigErrors } from '../config/index.js';
import { prepareWellKnownDocuments } from '../config/documents.js';
import { decideDelegation, parseHomeserver, parsePlanServerName } from './decide.js';
import { planClientSettings } from './client-settings.js';
import { PLAN_TEXTS } from './plan-texts.js';
import { probeDirectFederation } from './probe.js';
import type { DirectProbeOptions } from './probe.js';
import type { DirectProbe, Plan, PlanRequest } from './types.js';

/** The file name the plan suggests for its matrix-delegation config. */
export const PLAN_CONFIG_FILE = 'delegation.yaml';

/** The YAML data of the plan's matrix-delegation config (the keys of `serve`, Synapse's where they exist). */
function configData(
  request: PlanRequest,
  host: string,
  baseUrl: string,
  mServer: string | null,
  clientSettings: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const data: Record<string, unknown> = { server_name: request.serverName };
  if (mServer !== null) data['delegation_target'] = mServer;
  data['public_baseurl'] = baseUrl;
  if (request.identityServer) data['default_identity_server'] = request.identityServer;
  if (Object.keys(clientSettings).length > 0) data['extra_well_known_client_content'] = clientSettings;
  const contact = {
    ...(request.supportMatrixId ? { matrix_id: request.supportMatrixId } : {}),
    ...(request.supportEmail ? { email_address: request.supportEmail } : {}),
  };
  if (Object.keys(contact).length > 0 || request.supportPage) {
    data['support'] = {
      ...(Object.keys(contact).length > 0 ? { contacts: [{ role: 'm.role.admin', ...contact }] } : {}),
      ...(request.supportPage ? { support_page: request.supportPage } : {}),
    };
  }
  // The documents are fetched from https://<server name>/ on port 443 (spec "Server discovery").
  data['listeners'] = [{ port: 443, tls: true }];
  data['tls_certificate_path'] = request.tlsCertificatePath ?? `/etc/letsencrypt/live/${host}/fullchain.pem`;
  data['tls_private_key_path'] = request.tlsPrivateKeyPath ?? `/etc/letsencrypt/live/${host}/privkey.pem`;
  return data;
}

/**
 * Builds the plan for a request and a probe result (null when the probe was skipped): the decision
 * ({@link decideDelegation}), the documents as `serve` would send them, a matrix-delegation config, the four
 * web-server snippets (generated from that config, so they send the same bytes), DNS and homeserver.yaml lines.
 *
 * @throws MatrixDelegationError `INVALID_SERVER_NAME` or `INVALID_ARGUMENT` for unusable input (a bad URL,
 *   e-mail address or Matrix ID), with the reason.
 * @example
 * ```ts
 * const plan = await buildPlan({ serverName: 'example.com', homeserver: 'https://matrix.example.com' }, null);
 * plan.documents.server; // '{"m.server":"matrix.example.com:443"}'
 * ```
 */
export async function buildPlan(request: PlanRequest, probe: DirectProbe | null): Promise<Plan> {
  const locale = request.locale ?? DEFAULT_LOCALE;
  const name = parsePlanServerName(request.serverName, locale);
  const homeserver = parseHomeserver(request.homeserver, locale);
  const decision = decideDelegation(
    request.serverName,
    homeserver,
    probe,
    request.method ?? 'well-known',
    request.federationPort,
    locale,
  );
  const host = name.kind === 'ipv6' ? `[${name.host}]` : name.host.toLowerCase();
  const clientSettings = planClientSettings(request);

  const data = configData(
    request,
    host.replace(/[[\]]/g, ''),
    homeserver.baseUrl,
    decision.mServer,
    clientSettings.extras,
  );
  const header = [
    `# matrix-delegation config for ${request.serverName}, written by \`matrix-delegation plan\`.`,
    `# Serve it on https://${host}/ (port 443): matrix-delegation serve --config ${PLAN_CONFIG_FILE}`,
    `# or turn it into a web-server snippet: matrix-delegation config nginx --from ${PLAN_CONFIG_FILE}`,
    "# The certificate must be valid for the server name; the paths are certbot's, change them if yours differ.",
  ].join('\n');
  const config = `${header}\n${stringify(data, { lineWidth: 0 })}`;
  const loaded = await parseConfigForSnippets(config, { sourceName: PLAN_CONFIG_FILE, locale });
  if (!loaded.ok) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      localize(PLAN_TEXTS, locale)('error.settings', {
        errors: formatConfigErrors(loaded.errors, PLAN_CONFIG_FILE, locale),
      }),
      { detail: { errors: loaded.errors } },
    );
  }
  const serveConfig = loaded.config;
  const prepared = prepareWellKnownDocuments(serveConfig);
  const options = {
    ...(request.proxyTo ? { proxyTo: request.proxyTo } : {}),
    ...(request.federationPort !== undefined ? { federationPort: request.federationPort } : {}),
  };
  const snippets = {} as Record<WebServerTarget, string>;
  const files: Plan['files'][number][] = [];
  for (const target of WEB_SERVER_TARGETS) {
    const generated = generateProxyConfig(target, serveConfig, options);
    snippets[target] = generated.text;
    for (const file of generated.files) files.push({ target, path: file.path, content: file.content.toString('utf8') });
  }
  // An SRV record names a host, never an IP address (RFC 2782).
  const srvPossible = decision.verdict === 'needed' && isIP(homeserver.host) === 0 && !homeserver.host.startsWith('[');
  const srvRecord = srvPossible ? srvRecordLine(host, homeserver.host, homeserver.port) : null;
  const dns = dnsRecords(
    serveConfig,
    decision.srvTarget === null ? {} : { srvTarget: `${decision.srvTarget.host}:${decision.srvTarget.port}` },
  ).text;
  // The TLS files are usually on the web server, not here: not worth a warning in a plan.
  const warnings = loaded.warnings.filter((w) => !w.startsWith('TLS files not found on this machine'));
  return {
    serverName: request.serverName,
    serverHost: host,
    homeserver,
    probe,
    decision,
    documents: {
      server: prepared.server?.body.toString('utf8') ?? null,
      client: prepared.client?.body.toString('utf8') ?? null,
      support: prepared.support?.body.toString('utf8') ?? null,
    },
    config,
    snippets,
    files,
    srvRecord,
    dns,
    synapse: synapseText(synapseConfig(serveConfig).text, clientSettings.synapseLines),
    next: [`matrix-delegation check ${request.serverName}`],
    warnings,
  };
}

/**
 * The homeserver.yaml lines: the config's, and the call lines of the client settings unless the config's already
 * announce the call servers (`config synapse` writes `matrix_rtc.transports` from the client document's foci since
 * issue 21's follow-up: the same keys twice would make a YAML file with duplicate keys).
 */
function synapseText(config: string, callLines: string | null): string {
  return callLines === null || /^matrix_rtc:/m.test(config) ? config : `${config}${callLines}`;
}

/**
 * Probes `server_name:8448` (unless `probe` is false) and builds the plan.
 *
 * @example
 * ```ts
 * const plan = await createPlan({ serverName: 'example.com', homeserver: 'https://matrix.example.com' });
 * console.log(plan.decision.verdict, plan.decision.mServer);
 * ```
 */
export async function createPlan(
  request: PlanRequest,
  options: DirectProbeOptions & { readonly probe?: boolean } = {},
): Promise<Plan> {
  parsePlanServerName(request.serverName, request.locale);
  parseHomeserver(request.homeserver, request.locale);
  // Checked before the probe: a mistake in a flag is reported without a connection first.
  planClientSettings(request);
  const { probe: wanted, ...probeOptions } = options;
  const port = request.federationPort ?? probeOptions.defaultPort;
  const probe =
    wanted === false
      ? null
      : await probeDirectFederation(request.serverName, {
          ...probeOptions,
          ...(port === undefined ? {} : { defaultPort: port }),
          ...(request.locale === undefined ? {} : { locale: request.locale }),
        });
  return buildPlan(request, probe);
}
