// Apache httpd: a <VirtualHost> per listener serving the documents from files, optionally proxying the Matrix APIs.

import { posix } from 'node:path';
import type { ServeConfig } from '../config/types.js';
import { PROXIED_PATHS, buildSiteModel, describeSite, hasWildcard } from './model.js';
import type { Bind, SiteDocument, SiteListener, SiteModel } from './model.js';
import { apacheHeaderValue, apacheString, hashComment, indent, shellQuote } from './quote.js';
import type { DocumentFile, GeneratedConfig, ProxyConfigOptions } from './types.js';

const I = '    ';

/** Where Debian's apache2 package keeps its loadable modules. */
export const APACHE_MODULES_DIR = '/usr/lib/apache2/modules';

function hostPort(bind: Bind, port: number): string {
  if (bind.kind !== 'ip') return `*:${port}`;
  return bind.family === 6 ? `[${bind.ip}]:${port}` : `${bind.ip}:${port}`;
}

/** `Listen` lines of a listener: `Listen 443` opens every address of both families. */
function listenLines(listener: SiteListener): string[] {
  return listener.binds.map((bind) => {
    if (bind.kind === 'any') return `Listen ${listener.port}`;
    if (bind.kind === 'any-ipv4') return `Listen 0.0.0.0:${listener.port}`;
    return `Listen ${hostPort(bind, listener.port)}`;
  });
}

function documentBlock(doc: SiteDocument): string[] {
  return [
    `# ${doc.path}`,
    `Alias ${apacheString(doc.path)} ${apacheString(doc.filePath)}`,
    `<Location ${apacheString(doc.path)}>`,
    `${I}ForceType ${doc.contentType}`,
    // `always`: on every status, including the answer to an OPTIONS preflight (which httpd gives for a file).
    ...doc.headers.map(([name, value]) => `${I}Header always set ${name} ${apacheHeaderValue(value)}`),
    '</Location>',
  ];
}

/** A regular expression matching every path except the served documents and the proxied prefixes. */
function notFoundPattern(model: SiteModel): string {
  const kept = [
    ...model.documents.map((d) => `${d.path.slice(1).replace(/[.]/g, '\\.')}$`),
    ...(model.proxy === null ? [] : PROXIED_PATHS.map((p) => `${p.slice(1)}(/|$)`)),
  ];
  return kept.length === 0 ? '^/' : `^/(?!(${kept.join('|')}))`;
}

function proxyLines(model: SiteModel, listener: SiteListener): string[] {
  const proxy = model.proxy;
  if (proxy === null) return [];
  return [
    "# The homeserver: Matrix APIs and Synapse's client pages, paths passed on unchanged (nocanon).",
    'AllowEncodedSlashes NoDecode',
    'ProxyPreserveHost On',
    ...(listener.tls ? ['RequestHeader set X-Forwarded-Proto "https"'] : []),
    ...(proxy.scheme === 'https' ? ['SSLProxyEngine on'] : []),
    ...PROXIED_PATHS.flatMap((path) => [
      `ProxyPass ${apacheString(path)} ${apacheString(`${proxy.url}${path}`)} nocanon`,
      `ProxyPassReverse ${apacheString(path)} ${apacheString(`${proxy.url}${path}`)}`,
    ]),
  ];
}

function virtualHost(model: SiteModel, listener: SiteListener, full: boolean): string {
  const addresses = hasWildcard(listener.binds)
    ? [`*:${listener.port}`]
    : listener.binds.map((b) => hostPort(b, listener.port));
  // httpd refuses an IPv6 literal as ServerName and matches Host against names without brackets: IPv6 hosts go
  // to ServerAlias, bare; without another name the VirtualHost keeps the global ServerName.
  const named = model.hosts.filter((h) => !h.startsWith('['));
  const aliases = [...named.slice(1), ...model.hosts.filter((h) => h.startsWith('[')).map((h) => h.slice(1, -1))];
  const body: string[] = [];
  if (named[0] !== undefined) body.push(`ServerName ${named[0]}`);
  if (aliases.length > 0) body.push(`ServerAlias ${aliases.join(' ')}`);
  if (listener.federation) body.push('# Federation on the default port (the documents are answered here too).');
  if (listener.tls && model.tls !== null) {
    body.push(
      '',
      'SSLEngine on',
      `SSLCertificateFile ${apacheString(model.tls.certificatePath)}`,
      `SSLCertificateKeyFile ${apacheString(model.tls.privateKeyPath)}`,
    );
  }
  if (model.documents.length > 0) {
    body.push(
      '',
      `<Directory ${apacheString(model.documentsDir)}>`,
      `${I}Require all granted`,
      `${I}Options None`,
      `${I}AllowOverride None`,
      '</Directory>',
    );
  }
  for (const doc of model.documents) body.push('', ...documentBlock(doc));
  if (full)
    body.push(
      '',
      '# Everything else: not found (the documents and the proxied paths are excepted).',
      `RedirectMatch 404 ${apacheString(notFoundPattern(model))}`,
    );
  const proxy = proxyLines(model, listener);
  if (proxy.length > 0) body.push('', ...proxy);
  return `<VirtualHost ${addresses.join(' ')}>\n${indent(body.join('\n'), I)}\n</VirtualHost>`;
}

/** The modules a configuration needs, by module name and file. */
function modules(model: SiteModel): [string, string][] {
  const list: [string, string][] = [
    ['mpm_event_module', 'mod_mpm_event.so'],
    ['authz_core_module', 'mod_authz_core.so'],
    ['headers_module', 'mod_headers.so'],
    ['alias_module', 'mod_alias.so'],
  ];
  if (model.listeners.some((l) => l.tls))
    list.push(['socache_shmcb_module', 'mod_socache_shmcb.so'], ['ssl_module', 'mod_ssl.so']);
  if (model.proxy !== null) list.push(['proxy_module', 'mod_proxy.so'], ['proxy_http_module', 'mod_proxy_http.so']);
  return list;
}

/** The commands that create the document files with their exact bytes (no trailing newline). */
function fileCommands(files: readonly DocumentFile[]): string[] {
  const dirs = [...new Set(files.map((f) => posix.dirname(f.path)))];
  return [
    ...dirs.map((d) => `mkdir -p ${shellQuote(d)}`),
    ...files.map((f) => `printf '%s' ${shellQuote(f.content.toString('utf8'))} > ${shellQuote(f.path)}`),
  ];
}

/** Paths of the pid file and runtime files of a whole Apache configuration. */
export function apacheRunFiles(runDir: string): { pidFile: string; runtimeDir: string; sessionCache: string } {
  return {
    pidFile: posix.join(runDir, 'matrix-delegation-apache.pid'),
    runtimeDir: runDir,
    sessionCache: posix.join(runDir, 'matrix-delegation-apache-ssl-cache'),
  };
}

/**
 * Apache httpd configuration for a ServeConfig: a `<VirtualHost>` per listener, or with `full` a whole
 * httpd.conf that runs as it is (`apache2 -f FILE -DFOREGROUND`, Debian's module paths), logging to stderr,
 * pid file under `runDir`.
 *
 * httpd cannot answer with a body written in its configuration, so the documents are files in `documentsDir`,
 * listed in `files` (with their exact bytes) and as shell commands in the header comment.
 *
 * @example
 * ```ts
 * const { text, files } = apacheConfig(config, { documentsDir: '/var/www/matrix-delegation' });
 * for (const f of files) writeFileSync(f.path, f.content);
 * ```
 */
export function apacheConfig(config: ServeConfig, options: ProxyConfigOptions = {}): GeneratedConfig {
  const model = buildSiteModel(config, options);
  const full = options.full === true;
  const files: DocumentFile[] = model.documents.map((d) => ({ document: d.name, path: d.filePath, content: d.body }));
  const place = full
    ? 'a whole httpd.conf; run it with `apache2 -f FILE -DFOREGROUND` (test: `apache2 -t -f FILE`).'
    : 'a site file, e.g. /etc/apache2/sites-available/matrix-delegation.conf (then a2ensite matrix-delegation).';
  const lines = describeSite(model, place);
  if (!full) {
    const needed = modules(model)
      .map(([, file]) => file.replace(/^mod_|\.so$/g, ''))
      .filter((m) => m !== 'mpm_event' && m !== 'authz_core' && m !== 'socache_shmcb');
    lines.push(`Modules: a2enmod ${needed.join(' ')}`);
    lines.push(`Ports: ${model.listeners.flatMap(listenLines).join(', ')} (in ports.conf, unless already there).`);
  }
  if (files.length > 0) {
    lines.push(
      'The documents are files (httpd cannot write a body from its configuration); create them with exactly these bytes,',
      'or run `matrix-delegation config apache --from CONFIG --write-documents`:',
      ...fileCommands(files).map((c) => `  ${c}`),
    );
  }
  const header = hashComment(lines.join('\n'));
  const hosts = model.listeners.map((l) => virtualHost(model, l, full)).join('\n\n');
  if (!full) return { target: 'apache', text: `${header}\n\n${hosts}\n`, files };
  const run = apacheRunFiles(options.runDir ?? '/tmp');
  const text = [
    header,
    '',
    `DefaultRuntimeDir ${apacheString(run.runtimeDir)}`,
    `PidFile ${apacheString(run.pidFile)}`,
    '# Errors to stderr (which must be a terminal, file or pipe: httpd opens it by name); no access log.',
    'ErrorLog "/dev/stderr"',
    'LogLevel warn',
    '# The name of the server itself (each VirtualHost has its own).',
    'ServerName localhost',
    "# Used only when started as root (Debian's web server user).",
    'User www-data',
    'Group www-data',
    '',
    ...modules(model).map(([name, file]) => `LoadModule ${name} ${APACHE_MODULES_DIR}/${file}`),
    '',
    ...[...new Set(model.listeners.flatMap(listenLines))],
    ...(model.listeners.some((l) => l.tls)
      ? ['', `SSLSessionCache ${apacheString(`shmcb:${run.sessionCache}(512000)`)}`]
      : []),
    '',
    '# Nothing outside the documents directory is served.',
    '<Directory />',
    `${I}Require all denied`,
    `${I}AllowOverride None`,
    '</Directory>',
    '',
    hosts,
    '',
  ].join('\n');
  return { target: 'apache', text, files };
}
