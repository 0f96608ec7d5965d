// nginx: a `server` block (http context) serving the well-known documents, optionally proxying the Matrix APIs.

import { posix } from 'node:path';
import type { ServeConfig } from '../config/types.js';
import { PROXIED_PATHS, buildSiteModel, describeSite } from './model.js';
import type { SiteDocument, SiteListener, SiteModel } from './model.js';
import { NGINX_DOLLAR_GEO, hashComment, indent, nginxPath, nginxString } from './quote.js';
import type { GeneratedConfig, ProxyConfigOptions } from './types.js';

const I = '    ';

function listenLines(listener: SiteListener): string[] {
  const suffix = listener.tls ? ' ssl' : '';
  return listener.binds.flatMap((bind) => {
    // nginx opens [::] with ipv6only=on, so "every address" takes an IPv4 and an IPv6 socket: the usual pair.
    if (bind.kind === 'any') return [`listen ${listener.port}${suffix};`, `listen [::]:${listener.port}${suffix};`];
    if (bind.kind === 'any-ipv4') return [`listen ${listener.port}${suffix};`];
    return [`listen ${bind.family === 6 ? `[${bind.ip}]` : bind.ip}:${listener.port}${suffix};`];
  });
}

function headerLines(headers: readonly (readonly [string, string])[]): string[] {
  // `always`: the headers go on every status, as `serve` sends CORS on every answer.
  return headers.map(([name, value]) => `add_header ${name} ${nginxString(value)} always;`);
}

function documentLocation(doc: SiteDocument, model: SiteModel): string[] {
  return [
    `# ${doc.path}${doc.name === 'server' ? ': where federation traffic goes (spec server-server API, "Server discovery")' : ''}`,
    `location = ${doc.path} {`,
    `${I}default_type ${doc.contentType};`,
    ...headerLines(doc.headers).map((l) => I + l),
    // An add_header inside `if` replaces the location's list: the preflight gets the CORS headers only, as from `serve`.
    `${I}# CORS preflight (spec client-server API, "Web Browser Clients").`,
    `${I}if ($request_method = OPTIONS) {`,
    ...headerLines(model.preflightHeaders).map((l) => I + I + l),
    `${I}${I}return 204;`,
    `${I}}`,
    `${I}return 200 ${nginxString(doc.text)};`,
    '}',
  ];
}

function proxyLocation(model: SiteModel): string[] {
  const proxy = model.proxy;
  if (proxy === null) return [];
  const pattern = `^(${PROXIED_PATHS.join('|')})`;
  return [
    `# The homeserver: Matrix APIs and Synapse's client pages. No URI after the address, so paths pass unchanged.`,
    `location ~ ${pattern} {`,
    `${I}proxy_pass ${proxy.url};`,
    `${I}proxy_set_header X-Forwarded-For $remote_addr;`,
    `${I}proxy_set_header X-Forwarded-Proto $scheme;`,
    `${I}proxy_set_header Host $host;`,
    ...(proxy.scheme === 'https' ? [`${I}proxy_ssl_server_name on;`, `${I}proxy_ssl_name ${proxy.hostname};`] : []),
    `${I}# Synapse's default max_upload_size.`,
    `${I}client_max_body_size 50M;`,
    `${I}proxy_http_version 1.1;`,
    '}',
  ];
}

/** The `server` block (and, when a value holds `$`, the `geo` block it needs), without the header comment. */
function serverBlock(model: SiteModel, full: boolean): string {
  const body: string[] = [];
  for (const listener of model.listeners) body.push(...listenLines(listener));
  body.push(`server_name ${model.hosts.join(' ')};`);
  if (model.tls !== null && model.listeners.some((l) => l.tls)) {
    body.push(
      '',
      `ssl_certificate ${nginxPath(model.tls.certificatePath)};`,
      `ssl_certificate_key ${nginxPath(model.tls.privateKeyPath)};`,
    );
  }
  for (const doc of model.documents) body.push('', ...documentLocation(doc, model));
  const proxy = proxyLocation(model);
  if (proxy.length > 0) body.push('', ...proxy);
  if (full) body.push('', '# Everything else: not found.', 'location / {', `${I}return 404;`, '}');
  const block = `server {\n${indent(body.join('\n'), I)}\n}`;
  return block.includes('${matrix_delegation_dollar}')
    ? `# Holds a literal "$" for the texts below (nginx has no escape for it).\n${NGINX_DOLLAR_GEO}\n\n${block}`
    : block;
}

/** Paths of the pid file and temporary directories of a whole nginx configuration. */
export function nginxRunFiles(runDir: string): { pidFile: string; tempPrefix: string } {
  return {
    pidFile: posix.join(runDir, 'matrix-delegation-nginx.pid'),
    tempPrefix: posix.join(runDir, 'matrix-delegation-nginx-'),
  };
}

/**
 * nginx configuration for a ServeConfig: a `server` block for the `http` context (with a `geo` block before it
 * when a value holds `$`), or with `full` a whole nginx.conf that runs as it is: in the foreground, logging to
 * stderr, pid file and temporary files under `runDir`.
 *
 * @example
 * ```ts
 * const { text } = nginxConfig(config, { proxyTo: 'http://127.0.0.1:8008' });
 * // server { listen 443 ssl; ... location = /.well-known/matrix/server { ... return 200 '{"m.server":...}'; } ... }
 * ```
 */
export function nginxConfig(config: ServeConfig, options: ProxyConfigOptions = {}): GeneratedConfig {
  const model = buildSiteModel(config, options);
  const full = options.full === true;
  const place = full
    ? 'a whole nginx.conf; run it with `nginx -e stderr -c FILE` (test: `nginx -t -e stderr -c FILE`).'
    : 'the http context, e.g. /etc/nginx/conf.d/matrix-delegation.conf.';
  const header = hashComment(describeSite(model, place).join('\n'));
  const server = serverBlock(model, full);
  if (!full) return { target: 'nginx', text: `${header}\n\n${server}\n`, files: [] };
  const { pidFile, tempPrefix } = nginxRunFiles(options.runDir ?? '/tmp');
  const text = [
    header,
    '',
    '# In the foreground, so that a supervisor (or a test) owns the process.',
    'daemon off;',
    'worker_processes 1;',
    `pid ${nginxPath(pidFile)};`,
    'error_log stderr notice;',
    '',
    'events {',
    `${I}worker_connections 1024;`,
    '}',
    '',
    'http {',
    `${I}# Errors go to stderr (above); no access log.`,
    `${I}access_log off;`,
    `${I}server_tokens off;`,
    `${I}# Temporary files next to the pid file, so that nothing under /var is needed.`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (kind) => `${I}${kind}_temp_path ${nginxPath(`${tempPrefix}${kind}`)};`,
    ),
    '',
    indent(server, I),
    '}',
    '',
  ].join('\n');
  return { target: 'nginx', text, files: [] };
}
