// Validates `listeners` and the TLS files (Synapse's `listeners`, `tls_certificate_path`, `tls_private_key_path`).

import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { localize, type Localized } from '../i18n/index.js';
import type { ServerName } from '../server-name/index.js';
import { CONFIG_TEXTS } from './config-texts.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import {
  describeValue,
  isMapping,
  present,
  readBoolean,
  readInteger,
  readString,
  readStringList,
  warnUnknownKeys,
} from './fields.js';
import type { RawMapping } from './fields.js';
import type { ConfigIssues } from './issues.js';
import { describeFileProblem } from './read-file.js';
import { LISTENER_KEYS, SYNAPSE_LISTENER_ONLY_KEYS } from './schema.js';
import type { ListenerConfig, TlsConfig } from './types.js';
import { LISTENER_TEXTS } from './validate-listeners-texts.js';

/** The listener checks' words in the issues' language. */
function texts(issues: ConfigIssues): Localized<(typeof LISTENER_TEXTS)['en']> {
  return localize(LISTENER_TEXTS, issues.locale);
}

/** How the validators reach the file system (injected so tests and embedders can supply files). */
export interface FileAccess {
  /** Directory that relative paths are resolved against. */
  readonly baseDir: string;
  /** Reads a file as UTF-8 text; throws a Node.js error (with `code`, e.g. `ENOENT`) when it cannot. */
  readonly readTextFile: (path: string) => string;
  /** The current time, for certificate validity warnings. */
  readonly now: () => Date;
}

/** The listeners and the TLS material they need. */
export interface ListenerSettings {
  readonly listeners: ListenerConfig[];
  readonly tls: TlsConfig | null;
}

const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Listener keys handled here that mean "not an HTTP listener we can open" in Synapse (`path`: UNIX socket). */
const SOCKET_KEYS = ['path', 'mode'];

/**
 * Validates `listeners` (default: one plain-HTTP listener on port 8080 on every interface) and, when a
 * listener has `tls: true`, reads and checks the certificate and key files.
 */
export function validateListeners(
  issues: ConfigIssues,
  root: RawMapping,
  serverName: ServerName | undefined,
  files: FileAccess,
): ListenerSettings {
  const listeners = readListeners(issues, root);
  const tls = readTls(issues, root, listeners, serverName, files);
  return { listeners, tls };
}

function readListeners(issues: ConfigIssues, root: RawMapping): ListenerConfig[] {
  const t = texts(issues);
  const raw = present(root, 'listeners');
  if (raw === undefined)
    return [
      {
        port: CONFIG_DEFAULTS.listenerPort,
        bindAddresses: [...CONFIG_DEFAULTS.bindAddresses],
        tls: false,
        xForwarded: false,
      },
    ];
  if (!Array.isArray(raw)) {
    issues.error(
      ['listeners'],
      'wrong-type',
      t('listeners.notListProblem', { value: describeValue(raw, issues.locale) }),
      t('listeners.notListFix'),
    );
    return [];
  }
  if (raw.length === 0) {
    issues.error(['listeners'], 'empty', t('listeners.emptyProblem'), t('listeners.emptyFix'));
    return [];
  }
  const listeners: { listener: ListenerConfig; index: number }[] = [];
  let skipped = 0;
  raw.forEach((item: unknown, index) => {
    const listener = readListener(issues, item, index);
    if (listener === 'skipped') skipped++;
    else if (listener !== undefined) listeners.push({ listener, index });
  });
  if (skipped === raw.length) {
    issues.error(['listeners'], 'empty', t('listeners.noHttpProblem'), t('listeners.noHttpFix'));
  }
  checkDuplicates(issues, listeners);
  return listeners.map((entry) => entry.listener);
}

/** One listener, `'skipped'` for a Synapse listener this server does not open, undefined after an error. */
function readListener(issues: ConfigIssues, item: unknown, index: number): ListenerConfig | 'skipped' | undefined {
  const path = ['listeners', index];
  const t = texts(issues);
  if (!isMapping(item)) {
    issues.error(
      path,
      'not-a-mapping',
      t('listener.notMappingProblem', { value: describeValue(item, issues.locale) }),
      t('listener.notMappingFix'),
    );
    return undefined;
  }
  warnUnknownKeys(issues, item, path, [...LISTENER_KEYS, ...SOCKET_KEYS], new Set(SYNAPSE_LISTENER_ONLY_KEYS));
  // Synapse listeners of other types (metrics, manhole) and UNIX-socket listeners are not ours to open.
  const type = readString(issues, item, 'type', path, 'http');
  if (type !== undefined && type !== 'http') {
    issues.warn([...path, 'type'], t('listener.otherType', { type: JSON.stringify(type) }));
    return 'skipped';
  }
  if (present(item, 'path') !== undefined) {
    issues.warn([...path, 'path'], t('listener.socket'));
    return 'skipped';
  }
  const errorsBefore = issues.errorCount;
  if (present(item, 'port') === undefined) {
    issues.error([...path, 'port'], 'required', t('listener.noPortProblem'), t('listener.noPortFix'));
  }
  const port = readInteger(issues, item, 'port', path, { min: 1, max: 65_535, fallback: 0 });
  const bindAddresses = readBindAddresses(issues, item, path);
  const tls = readBoolean(issues, item, 'tls', path, false);
  const xForwarded = readBoolean(issues, item, 'x_forwarded', path, false);
  if (issues.errorCount !== errorsBefore) return undefined;
  return { port, bindAddresses, tls, xForwarded };
}

function readBindAddresses(issues: ConfigIssues, item: RawMapping, path: readonly (string | number)[]): string[] {
  const t = texts(issues);
  let entries: readonly { readonly value: string; readonly index: number }[] | undefined;
  let key = 'bind_addresses';
  const list = present(item, 'bind_addresses');
  if (list === undefined) {
    // Synapse's older singular form, still accepted by Synapse: `bind_address: 127.0.0.1` ('' = every interface).
    if (present(item, 'bind_address') === undefined) return [...CONFIG_DEFAULTS.bindAddresses];
    const single = readString(issues, item, 'bind_address', path, '127.0.0.1');
    if (single === undefined) return [];
    if (single === '') return [...CONFIG_DEFAULTS.bindAddresses];
    entries = [{ value: single, index: -1 }];
    key = 'bind_address';
  } else {
    entries = readStringList(issues, item, 'bind_addresses', path, '127.0.0.1');
    if (entries === undefined) return [];
    if (Array.isArray(list) && list.length === 0) {
      issues.error([...path, 'bind_addresses'], 'empty', t('bind.emptyProblem'), t('bind.emptyFix'));
      return [];
    }
  }
  const addresses: string[] = [];
  for (const { value, index } of entries) {
    const at = index < 0 ? [...path, key] : [...path, key, index];
    if (isIP(value) !== 0) {
      addresses.push(value);
    } else if (/^\[.*\]$/.test(value) && isIP(value.slice(1, -1)) === 6) {
      issues.error(
        at,
        'invalid-address',
        t('bind.bracketsProblem', { value: JSON.stringify(value) }),
        t('bind.bracketsFix', { address: value.slice(1, -1) }),
      );
    } else {
      const fix = value === 'localhost' ? t('bind.localhostFix') : t('bind.notIpFix');
      issues.error(at, 'invalid-address', t('bind.notIpProblem', { value: JSON.stringify(value) }), fix);
    }
  }
  return addresses;
}

function checkDuplicates(
  issues: ConfigIssues,
  listeners: readonly { listener: ListenerConfig; index: number }[],
): void {
  const seen = new Map<string, number>();
  for (const { listener, index } of listeners) {
    for (const address of new Set(listener.bindAddresses)) {
      const id = `${address.toLowerCase()}|${listener.port}`;
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, index);
      } else {
        const t = texts(issues);
        issues.error(
          ['listeners', index, 'port'],
          'duplicate-listener',
          t('duplicate.problem', { port: listener.port, address, first }),
          t('duplicate.fix', { index }),
        );
        break;
      }
    }
  }
}

function readTls(
  issues: ConfigIssues,
  root: RawMapping,
  listeners: readonly ListenerConfig[],
  serverName: ServerName | undefined,
  files: FileAccess,
): TlsConfig | null {
  const certificatePath = readString(
    issues,
    root,
    'tls_certificate_path',
    [],
    '/etc/letsencrypt/live/example.com/fullchain.pem',
  );
  const privateKeyPath = readString(
    issues,
    root,
    'tls_private_key_path',
    [],
    '/etc/letsencrypt/live/example.com/privkey.pem',
  );
  const t = texts(issues);
  const tlsIndex = listeners.findIndex((listener) => listener.tls);
  if (tlsIndex < 0) {
    if (certificatePath !== undefined) issues.warn(['tls_certificate_path'], t('tls.certificateUnused'));
    if (privateKeyPath !== undefined) issues.warn(['tls_private_key_path'], t('tls.keyUnused'));
    return null;
  }
  if (certificatePath === undefined && present(root, 'tls_certificate_path') === undefined) {
    issues.error(
      ['tls_certificate_path'],
      'required',
      t('tls.noCertificateProblem', { index: tlsIndex }),
      t('tls.noCertificateFix'),
    );
  }
  if (privateKeyPath === undefined && present(root, 'tls_private_key_path') === undefined) {
    issues.error(['tls_private_key_path'], 'required', t('tls.noKeyProblem', { index: tlsIndex }), t('tls.noKeyFix'));
  }
  const certificate =
    certificatePath === undefined
      ? undefined
      : readPem(issues, 'tls_certificate_path', certificatePath, files, 'certificate');
  const privateKey =
    privateKeyPath === undefined ? undefined : readPem(issues, 'tls_private_key_path', privateKeyPath, files, 'key');
  if (certificate === undefined || privateKey === undefined) return null;
  try {
    // Loads the pair exactly as the HTTPS listener will: catches a key that does not belong to the certificate.
    createSecureContext({ cert: certificate.text, key: privateKey.text });
  } catch (cause) {
    issues.error(
      ['tls_private_key_path'],
      'tls-key-mismatch',
      t('tls.mismatchProblem', {
        key: privateKey.path,
        certificate: certificate.path,
        reason: (cause as Error).message,
      }),
      t('tls.mismatchFix'),
    );
    return null;
  }
  warnAboutCertificate(issues, certificate.text, serverName, files.now());
  return {
    certificatePath: certificate.path,
    privateKeyPath: privateKey.path,
    certificatePem: certificate.text,
    privateKeyPem: privateKey.text,
  };
}

function readPem(
  issues: ConfigIssues,
  key: string,
  configured: string,
  files: FileAccess,
  kind: 'certificate' | 'key',
): { path: string; text: string } | undefined {
  const t = texts(issues);
  const path = isAbsolute(configured) ? configured : resolve(files.baseDir, configured);
  const shown = path === configured ? path : `${configured} (${path})`;
  let text: string;
  try {
    text = files.readTextFile(path);
  } catch (cause) {
    const certificate = kind === 'certificate';
    const p = describeFileProblem(
      cause,
      {
        shown: localize(CONFIG_TEXTS, issues.locale)('file.shown', { path: shown }),
        setting: key,
        what: certificate ? t('pem.whatCertificate') : t('pem.whatKey'),
        missing: certificate ? t('pem.missingCertificate') : t('pem.missingKey'),
        unreadable: certificate ? t('pem.unreadableCertificate') : t('pem.unreadableKey'),
      },
      issues.locale,
    );
    issues.error([key], p.code, p.problem, p.fix);
    return undefined;
  }
  if (kind === 'certificate' && !text.includes('-----BEGIN CERTIFICATE-----')) {
    issues.error([key], 'not-pem', t('pem.noCertificateProblem', { file: shown }), t('pem.noCertificateFix'));
    return undefined;
  }
  if (kind === 'key') {
    if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
      issues.error([key], 'not-pem', t('pem.encryptedProblem', { file: shown }), t('pem.encryptedFix'));
      return undefined;
    }
    if (!/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(text)) {
      issues.error([key], 'not-pem', t('pem.noKeyProblem', { file: shown }), t('pem.noKeyFix'));
      return undefined;
    }
  }
  return { path, text };
}

/** Warnings only: an expired or misnamed certificate still lets the server start, which helps while renewing. */
function warnAboutCertificate(issues: ConfigIssues, pem: string, serverName: ServerName | undefined, now: Date): void {
  const t = texts(issues);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (cause) {
    issues.warn(['tls_certificate_path'], t('certificate.unreadable', { reason: (cause as Error).message }));
    return;
  }
  const notAfter = new Date(certificate.validTo);
  const notBefore = new Date(certificate.validFrom);
  if (notAfter.getTime() < now.getTime()) {
    issues.warn(['tls_certificate_path'], t('certificate.expired', { date: notAfter.toISOString() }));
  } else if (notBefore.getTime() > now.getTime()) {
    issues.warn(['tls_certificate_path'], t('certificate.notYetValid', { date: notBefore.toISOString() }));
  } else if (notAfter.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
    issues.warn(
      ['tls_certificate_path'],
      t('certificate.expiresSoon', { date: notAfter.toISOString(), days: EXPIRY_WARNING_DAYS }),
    );
  }
  // The well-known documents are fetched from https://<server_name host>/ (spec server-server API, "Server
  // discovery"), so a TLS listener serving them needs a certificate for that host.
  if (serverName !== undefined && serverName.kind === 'dns' && certificate.checkHost(serverName.host) === undefined) {
    issues.warn(['tls_certificate_path'], t('certificate.wrongName', { host: serverName.host }));
  }
}
