// Synapse: the homeserver.yaml lines that make Synapse serve what it can of a config's documents.

import { stringify } from 'yaml';
import type { ServeConfig } from '../config/types.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { buildServerDocument } from '../config/documents.js';
import { VERSION } from '../version.js';
import { hashComment } from './quote.js';
import type { GeneratedConfig } from './types.js';

/** The `m.server` Synapse announces with `serve_server_wellknown: true`: the server name's host, its port or 443. */
export function synapseServerDocumentValue(config: Pick<ServeConfig, 'serverNameParts'>): string {
  return buildServerDocument({
    delegationTarget: null,
    serveServerWellknown: true,
    serverNameParts: config.serverNameParts,
  })!['m.server'];
}

/**
 * The homeserver.yaml lines for a config: `server_name`, `public_baseurl`, `default_identity_server`,
 * `extra_well_known_client_content` and `serve_server_wellknown` when Synapse's own server document is the
 * one the config serves. What Synapse cannot serve (another `m.server`, the support document) is said in
 * comments, with the way to serve it instead.
 *
 * @example
 * ```ts
 * synapseConfig(config).text; // 'server_name: example.com\nserve_server_wellknown: true\n...'
 * ```
 */
export function synapseConfig(config: ServeConfig): GeneratedConfig {
  const notes = [
    `matrix-delegation ${VERSION}: homeserver.yaml lines for ${config.serverName}, from ${config.source}.`,
  ];
  const data: Record<string, unknown> = { server_name: config.serverName };
  if (config.publicBaseurl !== null) data['public_baseurl'] = config.publicBaseurl;
  if (config.defaultIdentityServer !== null) data['default_identity_server'] = config.defaultIdentityServer;
  if (Object.keys(config.extraWellKnownClientContent).length > 0)
    data['extra_well_known_client_content'] = config.extraWellKnownClientContent;

  const served = buildServerDocument(config);
  const synapseValue = synapseServerDocumentValue(config);
  const host =
    config.serverNameParts.kind === 'ipv6' ? `[${config.serverNameParts.host}]` : config.serverNameParts.host;
  if (served !== null && served['m.server'] === synapseValue) {
    data['serve_server_wellknown'] = true;
    notes.push(
      `serve_server_wellknown: Synapse answers /.well-known/matrix/server with {"m.server": "${synapseValue}"} itself,`,
      `but only on requests that reach it: https://${host} (port 443) must be routed to Synapse.`,
      'Synapse sends that document without Cache-Control and CORS headers (the snippets send both).',
    );
  } else if (served !== null) {
    notes.push(
      `Synapse cannot serve {"m.server": "${served['m.server']}"}: serve_server_wellknown only announces "${synapseValue}".`,
      'Serve it with a web server (matrix-delegation config nginx|caddy|apache|haproxy --from CONFIG) or matrix-delegation serve.',
    );
  } else {
    notes.push('No /.well-known/matrix/server: the config does not delegate (or delegates with an SRV record).');
  }
  if (config.publicBaseurl !== null) {
    notes.push(
      `Synapse serves /.well-known/matrix/client from public_baseurl, but only where requests reach it (https://${host}).`,
    );
    if (config.cache.clientCacheControl !== CONFIG_DEFAULTS.cache.clientCacheControl) {
      notes.push(
        `Synapse sends Cache-Control: ${CONFIG_DEFAULTS.cache.clientCacheControl} on it, not the configured "${config.cache.clientCacheControl}".`,
      );
    }
  }
  const transports = livekitTransports(config.extraWellKnownClientContent);
  if (transports.length > 0) {
    // MSC4143: current Element Call asks the homeserver (/_matrix/client/v1/rtc/transports, and its unstable form)
    // before the well-known list; Synapse answers it from matrix_rtc.transports once msc4143_enabled is on.
    data['experimental_features'] = { msc4143_enabled: true };
    data['matrix_rtc'] = { transports };
    notes.push(
      'matrix_rtc.transports: the LiveKit services of org.matrix.msc4143.rtc_foci, which current clients ask the',
      'homeserver for (MSC4143, /_matrix/client/v1/rtc/transports); merge experimental_features with yours.',
    );
  }
  if (config.support !== null)
    notes.push(
      'Synapse does not serve /.well-known/matrix/support: serve it with a web-server snippet or matrix-delegation serve.',
    );
  const text = `${hashComment(notes.join('\n'))}\n${stringify(data, { lineWidth: 0 })}`;
  return { target: 'synapse', text, files: [] };
}

/**
 * The LiveKit foci of a client document's `org.matrix.msc4143.rtc_foci` (entries with `type: livekit` and a string
 * `livekit_service_url`), as Synapse's `matrix_rtc.transports` lists them; others are left out (Synapse's transports
 * are the homeserver's own list, and a focus of another type is not one it can announce).
 */
function livekitTransports(
  content: Readonly<Record<string, unknown>>,
): { type: 'livekit'; livekit_service_url: string }[] {
  const foci = content['org.matrix.msc4143.rtc_foci'];
  if (!Array.isArray(foci)) return [];
  return foci.flatMap((focus: unknown) => {
    if (typeof focus !== 'object' || focus === null) return [];
    const { type, livekit_service_url: url } = focus as Record<string, unknown>;
    return type === 'livekit' && typeof url === 'string'
      ? [{ type: 'livekit' as const, livekit_service_url: url }]
      : [];
  });
}
