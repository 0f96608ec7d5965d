// Snippets for web servers, DNS and Synapse from a matrix-delegation config: the documents served elsewhere.

import { MatrixDelegationError } from '../errors.js';
import type { ServeConfig } from '../config/types.js';
import { apacheConfig } from './apache.js';
import { caddyConfig } from './caddy.js';
import { dnsRecords } from './dns.js';
import { haproxyConfig } from './haproxy.js';
import { nginxConfig } from './nginx.js';
import { synapseConfig } from './synapse.js';
import type { GeneratedConfig, ProxyConfigOptions, ProxyTarget } from './types.js';
import { WEB_SERVER_TARGETS } from './types.js';

export { apacheConfig, APACHE_MODULES_DIR } from './apache.js';
export { caddyConfig } from './caddy.js';
export { serverCommands } from './commands.js';
export { dnsRecords, parseSrvTarget, srvRecordLine } from './dns.js';
export { haproxyConfig } from './haproxy.js';
export { loadConfigForSnippets, parseConfigForSnippets } from './load.js';
export type { SnippetConfigResult } from './load.js';
export { buildSiteModel, DEFAULT_DOCUMENTS_DIR, DEFAULT_FEDERATION_PORT, PROXIED_PATHS } from './model.js';
export type { Bind, SiteDocument, SiteListener, SiteModel, SiteProxy } from './model.js';
export { nginxConfig } from './nginx.js';
export { synapseConfig } from './synapse.js';
export { PROXY_TARGETS, WEB_SERVER_TARGETS } from './types.js';
export type {
  DocumentFile,
  GeneratedConfig,
  ProxyConfigOptions,
  ProxyTarget,
  ServerCommands,
  WebServerTarget,
} from './types.js';

/** True for the targets that are web servers (they accept `full`). */
export function isWebServerTarget(target: ProxyTarget): target is (typeof WEB_SERVER_TARGETS)[number] {
  return (WEB_SERVER_TARGETS as readonly string[]).includes(target);
}

/**
 * The snippet of one target for a config: nginx `server` block, Caddy site block, Apache `<VirtualHost>`,
 * HAProxy `frontend`/`backend`, DNS zone-file lines or homeserver.yaml lines. With `full`, web-server targets
 * give a whole configuration file that the server runs as it is.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for `full` with `dns` or `synapse`, and for options the
 *   target cannot honour (see the target functions).
 * @example
 * ```ts
 * const loaded = await loadConfigForSnippets('serve.yaml');
 * if (loaded.ok) process.stdout.write(generateProxyConfig('nginx', loaded.config, { proxyTo: 'http://127.0.0.1:8008' }).text);
 * ```
 */
export function generateProxyConfig(
  target: ProxyTarget,
  config: ServeConfig,
  options: ProxyConfigOptions = {},
): GeneratedConfig {
  if (options.full === true && !isWebServerTarget(target)) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `--full applies to the web servers (${WEB_SERVER_TARGETS.join(', ')}), not to ${target}`,
    );
  }
  switch (target) {
    case 'nginx':
      return nginxConfig(config, options);
    case 'caddy':
      return caddyConfig(config, options);
    case 'apache':
      return apacheConfig(config, options);
    case 'haproxy':
      return haproxyConfig(config, options);
    case 'dns':
      return dnsRecords(config, options);
    case 'synapse':
      return synapseConfig(config);
  }
}
