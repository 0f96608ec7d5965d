// HAProxy: a frontend answering the well-known documents itself, and a backend for the homeserver when proxying.

import { isIP } from 'node:net';
import { posix } from 'node:path';
import type { ServeConfig } from '../config/types.js';
import { PROXIED_PATHS, buildSiteModel, describeSite } from './model.js';
import type { SiteDocument, SiteListener, SiteModel } from './model.js';
import { haproxyLogFormat, haproxyPath, haproxyString, hashComment, indent, shellQuote } from './quote.js';
import type { GeneratedConfig, ProxyConfigOptions } from './types.js';

const I = '    ';

/** HAProxy's default buffer size: an answer written by `http-request return` must fit in one buffer. */
const DEFAULT_BUFSIZE = 16_384;
/** Room kept for the status line and headers around the body (with the default `tune.maxrewrite` of 1024). */
const HEADER_ROOM = 4_096;

/** The PEM file HAProxy reads (chain and key together), and whether the admin has to build it. */
export function haproxyPemPath(
  model: Pick<SiteModel, 'tls' | 'hosts'>,
  options: Pick<ProxyConfigOptions, 'haproxyPemPath'>,
): { path: string; mustCreate: boolean } | null {
  if (model.tls === null) return null;
  if (options.haproxyPemPath !== undefined) return { path: options.haproxyPemPath, mustCreate: false };
  const { certificatePath, privateKeyPath } = model.tls;
  // HAProxy reads the key from the certificate file, or from "<certificate>.key" next to it.
  if (privateKeyPath === certificatePath || privateKeyPath === `${certificatePath}.key`)
    return { path: certificatePath, mustCreate: false };
  const host = (model.hosts[0] ?? 'matrix-delegation').replace(/[^\w.-]/g, '_');
  return { path: `/etc/haproxy/certs/${host}.pem`, mustCreate: true };
}

function bindLines(listener: SiteListener, pem: string | null): string[] {
  const tls = listener.tls && pem !== null ? ` ssl crt ${haproxyPath(pem)}` : '';
  return listener.binds.map((bind) => {
    if (bind.kind === 'any') return `bind :::${listener.port} v4v6${tls}`;
    if (bind.kind === 'any-ipv4') return `bind 0.0.0.0:${listener.port}${tls}`;
    return `bind ${bind.family === 6 ? `[${bind.ip}]` : bind.ip}:${listener.port}${tls}`;
  });
}

function headerArgs(headers: readonly (readonly [string, string])[]): string {
  return headers.map(([name, value]) => ` hdr ${name} ${haproxyLogFormat(value)}`).join('');
}

function documentRule(doc: SiteDocument): string[] {
  // `string` is sent as is (not a log-format), so only the config quoting applies to the body.
  return [
    `# ${doc.path}`,
    `http-request return status 200 content-type ${haproxyString(doc.contentType)} string ${haproxyString(doc.text)}${headerArgs(doc.headers)} if { path ${doc.path} } !METH_OPTIONS`,
  ];
}

function backend(model: SiteModel): string[] {
  const proxy = model.proxy;
  if (proxy === null) return [];
  const address = `${proxy.host}:${proxy.port}`;
  const tls =
    proxy.scheme === 'https'
      ? ` ssl verify required ca-file @system-ca${isIP(proxy.hostname) !== 0 ? '' : ` sni str(${proxy.hostname}) verifyhost ${proxy.hostname}`}`
      : '';
  return ['backend matrix_homeserver', `${I}mode http`, `${I}server homeserver ${address}${tls}`];
}

/** The largest answer body, to size HAProxy's buffer. */
function largestBody(model: SiteModel): number {
  return Math.max(0, ...model.documents.map((d) => d.body.byteLength));
}

/** A `tune.bufsize` large enough for every document, or null when the default is. */
function neededBufsize(model: SiteModel): number | null {
  const needed = largestBody(model) + HEADER_ROOM;
  return needed <= DEFAULT_BUFSIZE ? null : Math.ceil(needed / 4096) * 4096;
}

function frontend(model: SiteModel, pem: string | null, full: boolean): string {
  const body: string[] = ['mode http'];
  for (const listener of model.listeners) body.push(...bindLines(listener, pem));
  if (model.proxy !== null) {
    body.push('option forwardfor', 'http-request set-header X-Forwarded-Proto https if { ssl_fc }');
  }
  if (model.documents.length > 0) {
    body.push(
      '',
      '# CORS preflight (spec client-server API, "Web Browser Clients").',
      `acl matrix_documents path ${model.documents.map((d) => d.path).join(' ')}`,
      `http-request return status 204${headerArgs(model.preflightHeaders)} if METH_OPTIONS matrix_documents`,
    );
  }
  for (const doc of model.documents) body.push('', ...documentRule(doc));
  if (model.proxy !== null) {
    body.push(
      '',
      "# The homeserver: Matrix APIs and Synapse's client pages.",
      `acl matrix_api path_beg ${PROXIED_PATHS.join(' ')}`,
      ...(full ? ['# Everything else: not found.', 'http-request return status 404 if !matrix_api'] : []),
      'use_backend matrix_homeserver if matrix_api',
    );
  } else if (full) {
    body.push('', '# Everything else: not found.', 'http-request return status 404');
  }
  return `frontend matrix_delegation\n${indent(body.join('\n'), I)}`;
}

/** The pid file of a whole HAProxy configuration. */
export function haproxyRunFiles(runDir: string): { pidFile: string } {
  return { pidFile: posix.join(runDir, 'matrix-delegation-haproxy.pid') };
}

/**
 * HAProxy configuration for a ServeConfig: a `frontend` that answers the documents itself (`http-request return`,
 * HAProxy 2.2 or later) and, with `proxyTo`, a `backend` for the homeserver; or with `full` a whole haproxy.cfg
 * that runs as it is (`haproxy -f FILE -db`), logging to stderr, pid file under `runDir`.
 *
 * HAProxy wants the certificate chain and key in one PEM file (or the key next to it as `<certificate>.key`);
 * when the config's paths are neither, the snippet names a combined file and says how to build it.
 *
 * @example
 * ```ts
 * const { text } = haproxyConfig(config, { proxyTo: 'http://127.0.0.1:8008' });
 * // frontend matrix_delegation ... http-request return status 200 content-type 'application/json' string '{...}' ...
 * ```
 */
export function haproxyConfig(config: ServeConfig, options: ProxyConfigOptions = {}): GeneratedConfig {
  const model = buildSiteModel(config, options);
  const full = options.full === true;
  const pem = model.listeners.some((l) => l.tls) ? haproxyPemPath(model, options) : null;
  const { pidFile } = haproxyRunFiles(options.runDir ?? '/tmp');
  const place = full
    ? 'a whole haproxy.cfg; run it with `haproxy -f FILE -db` (test: `haproxy -c -f FILE`).'
    : 'haproxy.cfg, after your global and defaults sections (HAProxy 2.2 or later).';
  const lines = describeSite(model, place);
  if (pem?.mustCreate === true && model.tls !== null) {
    lines.push(
      `HAProxy reads the certificate chain and the key from one file; build it (again after each renewal):`,
      `  cat ${shellQuote(model.tls.certificatePath)} ${shellQuote(model.tls.privateKeyPath)} > ${shellQuote(pem.path)}`,
    );
  }
  const bufsize = neededBufsize(model);
  if (bufsize !== null && !full)
    lines.push(`A document is ${largestBody(model)} bytes: set tune.bufsize ${bufsize} in the global section.`);
  const header = hashComment(lines.join('\n'));
  const sections = [
    frontend(model, pem?.path ?? null, full),
    ...(model.proxy === null ? [] : [backend(model).join('\n')]),
  ].join('\n\n');
  if (!full) return { target: 'haproxy', text: `${header}\n\n${sections}\n`, files: [] };
  const text = [
    header,
    '',
    'global',
    `${I}log stderr format raw local0`,
    `${I}pidfile ${haproxyPath(pidFile)}`,
    ...(bufsize === null ? [] : [`${I}tune.bufsize ${bufsize}`]),
    '',
    'defaults',
    `${I}mode http`,
    `${I}log global`,
    `${I}option httplog`,
    `${I}timeout connect 10s`,
    `${I}timeout client 60s`,
    `${I}# Long enough for a client's /sync long poll.`,
    `${I}timeout server 180s`,
    '',
    sections,
    '',
  ].join('\n');
  return { target: 'haproxy', text, files: [] };
}
