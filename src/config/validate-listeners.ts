// Validates `listeners` and the TLS files (Synapse's `listeners`, `tls_certificate_path`, `tls_private_key_path`).

import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { ServerName } from '../server-name/index.js';
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
      `expected a list of listeners, got ${describeValue(raw)}`,
      'write each listener as a list item: listeners: [{ port: 8080 }]',
    );
    return [];
  }
  if (raw.length === 0) {
    issues.error(
      ['listeners'],
      'empty',
      'the list of listeners is empty, so the server would not listen anywhere',
      'add a listener, e.g. listeners: [{ port: 8080 }], or remove the key to use that default',
    );
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
    issues.error(
      ['listeners'],
      'empty',
      'no listener of type http, so the server would not listen anywhere',
      'add a listener with type: http (or no type), e.g. { port: 8080 }',
    );
  }
  checkDuplicates(issues, listeners);
  return listeners.map((entry) => entry.listener);
}

/** One listener, `'skipped'` for a Synapse listener this server does not open, undefined after an error. */
function readListener(issues: ConfigIssues, item: unknown, index: number): ListenerConfig | 'skipped' | undefined {
  const path = ['listeners', index];
  if (!isMapping(item)) {
    issues.error(
      path,
      'not-a-mapping',
      `expected a listener (port, bind_addresses, tls), got ${describeValue(item)}`,
      'write the listener as a mapping, e.g. - port: 8080',
    );
    return undefined;
  }
  warnUnknownKeys(issues, item, path, [...LISTENER_KEYS, ...SOCKET_KEYS], new Set(SYNAPSE_LISTENER_ONLY_KEYS));
  // Synapse listeners of other types (metrics, manhole) and UNIX-socket listeners are not ours to open.
  const type = readString(issues, item, 'type', path, 'http');
  if (type !== undefined && type !== 'http') {
    issues.warn([...path, 'type'], `a listener of type ${JSON.stringify(type)} is not served by this server; skipped`);
    return 'skipped';
  }
  if (present(item, 'path') !== undefined) {
    issues.warn([...path, 'path'], 'UNIX socket listeners are not supported; skipped');
    return 'skipped';
  }
  const errorsBefore = issues.errorCount;
  if (present(item, 'port') === undefined) {
    issues.error(
      [...path, 'port'],
      'required',
      'a listener needs a port',
      'add a port, e.g. port: 8080 (or 443 with tls: true)',
    );
  }
  const port = readInteger(issues, item, 'port', path, { min: 1, max: 65_535, fallback: 0 });
  const bindAddresses = readBindAddresses(issues, item, path);
  const tls = readBoolean(issues, item, 'tls', path, false);
  const xForwarded = readBoolean(issues, item, 'x_forwarded', path, false);
  if (issues.errorCount !== errorsBefore) return undefined;
  return { port, bindAddresses, tls, xForwarded };
}

function readBindAddresses(issues: ConfigIssues, item: RawMapping, path: readonly (string | number)[]): string[] {
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
      issues.error(
        [...path, 'bind_addresses'],
        'empty',
        'the list of addresses is empty, so this listener would not listen anywhere',
        "list addresses, e.g. ['127.0.0.1', '::1'], or remove the key to listen on every interface",
      );
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
        `${JSON.stringify(value)} has brackets`,
        `write the IPv6 address without brackets: ${value.slice(1, -1)}`,
      );
    } else {
      const fix =
        value === 'localhost'
          ? 'use 127.0.0.1 and/or ::1'
          : "use an IP address of this machine, '0.0.0.0' / '::' for every interface, or '127.0.0.1' behind a reverse proxy";
      issues.error(
        at,
        'invalid-address',
        `${JSON.stringify(value)} is not an IP address (host names cannot be bound)`,
        fix,
      );
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
        issues.error(
          ['listeners', index, 'port'],
          'duplicate-listener',
          `port ${listener.port} on ${address} is already used by listeners[${first}]`,
          `give listeners[${index}] another port, or merge the two listeners`,
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
  const tlsIndex = listeners.findIndex((listener) => listener.tls);
  if (tlsIndex < 0) {
    if (certificatePath !== undefined)
      issues.warn(['tls_certificate_path'], 'no listener has tls: true, so this certificate is not used');
    if (privateKeyPath !== undefined)
      issues.warn(['tls_private_key_path'], 'no listener has tls: true, so this key is not used');
    return null;
  }
  const why = `listeners[${tlsIndex}] has tls: true`;
  if (certificatePath === undefined && present(root, 'tls_certificate_path') === undefined) {
    issues.error(
      ['tls_certificate_path'],
      'required',
      `${why} but no certificate is configured`,
      'set tls_certificate_path to the PEM certificate chain, e.g. /etc/letsencrypt/live/example.com/fullchain.pem, or set tls: false',
    );
  }
  if (privateKeyPath === undefined && present(root, 'tls_private_key_path') === undefined) {
    issues.error(
      ['tls_private_key_path'],
      'required',
      `${why} but no private key is configured`,
      'set tls_private_key_path to the PEM private key, e.g. /etc/letsencrypt/live/example.com/privkey.pem, or set tls: false',
    );
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
      `the key ${privateKey.path} cannot be used with the certificate ${certificate.path}: ${(cause as Error).message}`,
      'point tls_private_key_path at the key the certificate was issued for (with certbot: privkey.pem next to fullchain.pem)',
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
  const path = isAbsolute(configured) ? configured : resolve(files.baseDir, configured);
  const shown = path === configured ? path : `${configured} (${path})`;
  let text: string;
  try {
    text = files.readTextFile(path);
  } catch (cause) {
    const what = kind === 'certificate' ? 'PEM certificate chain' : 'PEM private key';
    const p = describeFileProblem(cause, {
      shown: `the file ${shown}`,
      setting: key,
      what,
      missing: `correct the path, or create the ${kind} file there`,
      unreadable: `make the ${kind} file readable by the user running the server`,
    });
    issues.error([key], p.code, p.problem, p.fix);
    return undefined;
  }
  if (kind === 'certificate' && !text.includes('-----BEGIN CERTIFICATE-----')) {
    issues.error(
      [key],
      'not-pem',
      `${shown} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
      'use the PEM certificate chain (with certbot: fullchain.pem); convert DER with openssl x509 -inform der',
    );
    return undefined;
  }
  if (kind === 'key') {
    if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
      issues.error(
        [key],
        'not-pem',
        `${shown} is an encrypted private key, and the server cannot ask for its passphrase`,
        'store the key unencrypted (openssl pkey -in encrypted.pem -out key.pem) with file mode 600',
      );
      return undefined;
    }
    if (!/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(text)) {
      issues.error(
        [key],
        'not-pem',
        `${shown} holds no PEM private key (-----BEGIN PRIVATE KEY-----)`,
        'use the PEM private key (with certbot: privkey.pem)',
      );
      return undefined;
    }
  }
  return { path, text };
}

/** Warnings only: an expired or misnamed certificate still lets the server start, which helps while renewing. */
function warnAboutCertificate(issues: ConfigIssues, pem: string, serverName: ServerName | undefined, now: Date): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (cause) {
    issues.warn(['tls_certificate_path'], `the certificate could not be inspected: ${(cause as Error).message}`);
    return;
  }
  const notAfter = new Date(certificate.validTo);
  const notBefore = new Date(certificate.validFrom);
  if (notAfter.getTime() < now.getTime()) {
    issues.warn(
      ['tls_certificate_path'],
      `the certificate expired on ${notAfter.toISOString()}; clients and servers will refuse it: renew it`,
    );
  } else if (notBefore.getTime() > now.getTime()) {
    issues.warn(
      ['tls_certificate_path'],
      `the certificate is not valid before ${notBefore.toISOString()}; check the clock of this machine`,
    );
  } else if (notAfter.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
    issues.warn(
      ['tls_certificate_path'],
      `the certificate expires on ${notAfter.toISOString()}, in less than ${EXPIRY_WARNING_DAYS} days: renew it`,
    );
  }
  // The well-known documents are fetched from https://<server_name host>/ (spec server-server API, "Server
  // discovery"), so a TLS listener serving them needs a certificate for that host.
  if (serverName !== undefined && serverName.kind === 'dns' && certificate.checkHost(serverName.host) === undefined) {
    issues.warn(
      ['tls_certificate_path'],
      `the certificate is not valid for ${serverName.host}; servers and clients fetch https://${serverName.host}/.well-known/matrix/* and would refuse it`,
    );
  }
}
