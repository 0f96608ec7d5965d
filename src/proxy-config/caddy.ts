// Caddy: a site block per listening port serving the well-known documents, optionally proxying the Matrix APIs.

import { posix } from 'node:path';
import { MatrixDelegationError } from '../errors.js';
import type { ServeConfig } from '../config/types.js';
import { PROXIED_PATHS, buildSiteModel, describeSite, normalizeBinds } from './model.js';
import type { Bind, SiteDocument, SiteListener, SiteModel } from './model.js';
import { caddyCanWrite, caddyPath, caddyToken, hashComment, indent } from './quote.js';
import type { DocumentFile, GeneratedConfig, ProxyConfigOptions } from './types.js';

const T = '\t';

/** A value Caddy passes through its placeholder replacer, written so that it comes out as is. */
function token(value: string): string {
  const written = caddyToken(value);
  if (written === null) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `${JSON.stringify(value)} cannot be written into a Caddyfile (it holds a backtick or "{$")`,
    );
  }
  return written;
}

/** Listeners with the same port and TLS setting share one site block (Caddy refuses a site address twice). */
function groupListeners(listeners: readonly SiteListener[]): SiteListener[] {
  const groups = new Map<string, SiteListener[]>();
  for (const listener of listeners) {
    const key = `${listener.port}|${listener.tls}`;
    groups.set(key, [...(groups.get(key) ?? []), listener]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const addresses = group.flatMap((l) => l.binds.map(bindAddress));
    return {
      ...first,
      binds: addresses.includes('::') ? [{ kind: 'any' }] : normalizeBinds(addresses),
      federation: group.some((l) => l.federation),
    };
  });
}

function bindAddress(bind: Bind): string {
  return bind.kind === 'any' ? '::' : bind.kind === 'any-ipv4' ? '0.0.0.0' : bind.ip;
}

function matcherName(doc: SiteDocument): string {
  return `@matrix_${doc.name}`;
}

function documentHandle(doc: SiteDocument): string[] {
  const headers = [['Content-Type', doc.contentType] as const, ...doc.headers].map(
    ([name, value]) => `${T}header ${name} ${token(value)}`,
  );
  const inline = caddyCanWrite(doc.text);
  return [
    `# ${doc.path}${inline ? '' : ` (from ${doc.filePath}: the body holds characters a Caddyfile cannot carry)`}`,
    // OPTIONS goes to the preflight handler, whatever order Caddy sorts the handle blocks in.
    `${matcherName(doc)} {`,
    `${T}path ${doc.path}`,
    `${T}not method OPTIONS`,
    '}',
    `handle ${matcherName(doc)} {`,
    ...headers,
    ...(inline
      ? [`${T}respond ${token(doc.text)} 200`]
      : [
          `${T}root * ${caddyPath(posix.dirname(doc.filePath))}`,
          `${T}rewrite * /${posix.basename(doc.filePath)}`,
          `${T}file_server`,
        ]),
    '}',
  ];
}

/** The matchers and handlers shared by every site block: documents, preflight, proxy (and, with `full`, 404). */
function handlers(model: SiteModel, full: boolean): string[] {
  const body: string[] = [];
  const documents = model.documents;
  if (documents.length > 0) {
    body.push(
      '# CORS preflight (spec client-server API, "Web Browser Clients").',
      '@matrix_preflight {',
      `${T}method OPTIONS`,
      `${T}path ${documents.map((d) => d.path).join(' ')}`,
      '}',
      'handle @matrix_preflight {',
      ...model.preflightHeaders.map(([name, value]) => `${T}header ${name} ${token(value)}`),
      `${T}respond 204`,
      '}',
    );
    for (const doc of documents) body.push('', ...documentHandle(doc));
  }
  if (model.proxy !== null) {
    body.push(
      '',
      "# The homeserver: Matrix APIs and Synapse's client pages (Caddy sets X-Forwarded-For and X-Forwarded-Proto).",
      `@matrix_api path ${PROXIED_PATHS.map((p) => `${p}/*`).join(' ')}`,
      'handle @matrix_api {',
      `${T}reverse_proxy ${model.proxy.url}`,
      '}',
    );
  }
  if (full) body.push('', '# Everything else: not found.', 'handle {', `${T}respond 404`, '}');
  while (body[0] === '') body.shift();
  return body;
}

/** The Caddyfile snippet name used when several site blocks share the handlers. */
export const CADDY_SNIPPET_NAME = 'matrix_delegation';

function siteBlock(model: SiteModel, listener: SiteListener, shared: string[] | null): string {
  const scheme = listener.tls ? 'https' : 'http';
  const addresses = model.hosts.map((host) => `${scheme}://${host}:${listener.port}`).join(', ');
  const body: string[] = [];
  // Without `bind` Caddy listens on every address of both families.
  if (!listener.binds.some((b) => b.kind === 'any')) body.push(`bind ${listener.binds.map(bindAddress).join(' ')}`);
  if (listener.tls && model.tls !== null)
    body.push(`tls ${caddyPath(model.tls.certificatePath)} ${caddyPath(model.tls.privateKeyPath)}`);
  if (listener.federation) body.push('# Federation on the default port (the documents are answered here too).');
  if (shared === null) body.push(`import ${CADDY_SNIPPET_NAME}`);
  else body.push(...(body.length > 0 && shared.length > 0 ? [''] : []), ...shared);
  return `${addresses} {\n${indent(body.join('\n'), T)}\n}`;
}

/** The Caddy storage directory of a whole configuration. */
export function caddyRunFiles(runDir: string): { pidFile: string; storageDir: string } {
  return {
    pidFile: posix.join(runDir, 'matrix-delegation-caddy.pid'),
    storageDir: posix.join(runDir, 'matrix-delegation-caddy'),
  };
}

/**
 * Caddy configuration for a ServeConfig: one site block per listening port (Caddyfile syntax), or with `full`
 * a whole Caddyfile that runs as it is (`caddy run --config FILE --adapter caddyfile`): admin API and automatic
 * HTTPS off (the certificate comes from the config), logs on stderr, storage under `runDir`.
 *
 * Bodies are written inline; one that a Caddyfile cannot carry (it holds a backtick or `{$`) is served from its
 * file in `documentsDir` instead, listed in `files`.
 *
 * @example
 * ```ts
 * const { text } = caddyConfig(config);
 * // https://example.com:443 { tls ... handle @matrix_server { header Content-Type `application/json` ... respond `...` 200 } }
 * ```
 */
export function caddyConfig(config: ServeConfig, options: ProxyConfigOptions = {}): GeneratedConfig {
  const model = buildSiteModel(config, options);
  const full = options.full === true;
  const files: DocumentFile[] = model.documents
    .filter((d) => !caddyCanWrite(d.text))
    .map((d) => ({ document: d.name, path: d.filePath, content: d.body }));
  const { pidFile, storageDir } = caddyRunFiles(options.runDir ?? '/tmp');
  const place = full
    ? `a whole Caddyfile; run it with \`caddy run --config FILE --adapter caddyfile --pidfile ${pidFile}\` (test: \`caddy validate --config FILE --adapter caddyfile\`).`
    : 'the Caddyfile, next to your other site blocks (if one already serves these names and port, move the matchers and handle blocks into it).';
  const lines = describeSite(model, place);
  if (files.length > 0) {
    // No printf commands here, unlike Apache: Caddy would substitute "{$...}" in them, comments included.
    lines.push(
      `Create these files with exactly the document's bytes (matrix-delegation config caddy --from CONFIG --write-documents): ${files.map((f) => f.path).join(', ')}.`,
    );
  }
  const header = hashComment(lines.join('\n'));
  const groups = groupListeners(model.listeners);
  const shared = handlers(model, full);
  // Several site blocks share the handlers through a snippet, so that each is written once.
  const snippet = groups.length > 1 ? [`(${CADDY_SNIPPET_NAME}) {`, indent(shared.join('\n'), T), '}', ''] : [];
  const sites = groups.map((l) => siteBlock(model, l, groups.length > 1 ? null : shared));
  const global = full
    ? [
        '{',
        `${T}# No admin endpoint, no certificate automation: the listeners and certificate come from the config.`,
        `${T}admin off`,
        `${T}auto_https off`,
        `${T}storage file_system {`,
        `${T}${T}root ${caddyPath(storageDir)}`,
        `${T}}`,
        `${T}log {`,
        `${T}${T}output stderr`,
        `${T}}`,
        '}',
        '',
      ]
    : [];
  return { target: 'caddy', text: [header, '', ...global, ...snippet, sites.join('\n\n'), ''].join('\n'), files };
}
