// Types of the `serve` configuration: the validated ServeConfig, config errors and the result of loading a config.

import type { ServerName } from '../server-name/index.js';
import type { Secret } from './secret.js';

/** A JSON value, as placed in the client well-known document by `extra_well_known_client_content`. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { readonly [key: string]: JsonValue };

/** One HTTP(S) listener (Synapse's `listeners[]` entry of type `http`). */
export interface ListenerConfig {
  /** TCP port, 1-65535. */
  readonly port: number;
  /** IP addresses to bind (IPv6 without brackets). */
  readonly bindAddresses: readonly string[];
  /** Whether this listener speaks HTTPS with the certificate of {@link ServeConfig.tls}. */
  readonly tls: boolean;
  /**
   * Synapse's `x_forwarded`: the listener sits behind a reverse proxy, so a request's client is the last
   * X-Forwarded-For entry (what the tester's per-client rate limit keys on), not the proxy's address.
   * Absent means false.
   */
  readonly xForwarded?: boolean;
}

/** The certificate and key used by TLS listeners, read and checked at load time. */
export interface TlsConfig {
  /** Absolute path of the PEM certificate chain (`tls_certificate_path`). */
  readonly certificatePath: string;
  /** Absolute path of the PEM private key (`tls_private_key_path`). */
  readonly privateKeyPath: string;
  /** The certificate chain as read at load time. */
  readonly certificatePem: string;
  /** The private key as read at load time. */
  readonly privateKeyPem: string;
}

/** One entry of `contacts` in the support document (client-server API `/.well-known/matrix/support`). */
export interface SupportContact {
  /** `m.role.admin`, `m.role.security` or a namespaced role such as `org.example.role.helpdesk`. */
  readonly role: string;
  /** A Matrix user ID, `@localpart:server`. */
  readonly matrixId?: string;
  /** An e-mail address. */
  readonly emailAddress?: string;
}

/** The support document's content. At least one contact or a support page is always present. */
export interface SupportConfig {
  /** The contacts, possibly empty when {@link supportPage} is set. */
  readonly contacts: readonly SupportContact[];
  /** A web page where users can get help, or null. */
  readonly supportPage: string | null;
}

/** Settings of the federation tester hosted by `serve`. */
export interface TesterConfig {
  /** Whether the tester page and API are served. */
  readonly enabled: boolean;
  /** Checks one client address may start per minute; 0 means no limit. */
  readonly rateLimitPerMinute: number;
  /** Checks running at the same time, over all clients (at least 1). */
  readonly maxInFlight: number;
  /** How long a finished check's result is reused for the same server name; 0 disables reuse. */
  readonly cacheSeconds: number;
  /** Networks the tester may contact although the default deny-list covers them (CIDRs). */
  readonly allowNetworks: readonly string[];
  /** DNS servers to ask (`IP`, `IP:PORT`, `[IPv6]:PORT`); empty means the system's resolvers. */
  readonly dnsServers: readonly string[];
  /** Absolute path of an extra CA bundle to trust, or null. */
  readonly caFile: string | null;
  /** The CA bundle's PEM text as read at load time, or null. */
  readonly caPem: string | null;
  /** Time budget of one whole check, in milliseconds. */
  readonly timeoutMs: number;
}

/** Cache-Control settings of the three documents. */
export interface CacheConfig {
  /** `max-age` of `/.well-known/matrix/server`. */
  readonly serverMaxAgeSeconds: number;
  /** The whole Cache-Control value of `/.well-known/matrix/client`. */
  readonly clientCacheControl: string;
  /** `max-age` of `/.well-known/matrix/support`. */
  readonly supportMaxAgeSeconds: number;
}

/** The kinds of `cache_store`. */
export const CACHE_STORE_KINDS = ['memory', 'redis'] as const;

/** A kind of `cache_store`: `memory` (this process only) or `redis` (shared by every instance using the same Redis). */
export type CacheStoreKind = (typeof CACHE_STORE_KINDS)[number];

/**
 * Where the tester keeps its finished checks (`cache_store`). With `redis`, several `serve` instances behind a
 * load balancer share their results, so one name is checked once per `tester.cache_seconds` between them; losing
 * Redis falls back to the local LRU, never to an error. Named `...Settings` because `src/cache` exports the
 * store's own `CacheStoreConfig`.
 */
export interface CacheStoreSettings {
  readonly kind: CacheStoreKind;
  /** `redis://host:port[/db]` or `rediss://...` for `redis`; null for `memory`. */
  readonly url: string | null;
  /** Prefix of every Redis key (`redis` only; kept at its default for `memory`). */
  readonly keyPrefix: string;
  /** Most entries of the local LRU (the whole cache for `memory`, the local copy for `redis`). */
  readonly maxEntries: number;
  /** Most bytes of the local LRU, as `createMemoryStore` counts them. */
  readonly maxBytes: number;
}

/** The log levels, from most to least verbose. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Logging settings. */
export interface LoggingConfig {
  /** The least severe level written. */
  readonly level: LogLevel;
}

/** Metrics settings. */
export interface MetricsConfig {
  /** Whether the Prometheus text endpoint is served. */
  readonly enabled: boolean;
}

/** `monitor.notify.webhook`: a JSON POST per notification. */
export interface WebhookNotifyConfig {
  /** The http(s) URL, as written (it may hold a token in its path: logs show its origin only). */
  readonly url: string;
}

/** `monitor.notify.email`: one message per notification over SMTP. */
export interface EmailNotifyConfig {
  /**
   * `smtp://host[:port]` (STARTTLS; required when a password is set) or `smtps://host[:port]` (TLS from the first
   * byte), without user name or password.
   */
  readonly smtpUrl: string;
  /** The SMTP user name (`username`, or the user part of `smtp_url`), or null for no authentication. */
  readonly username: string | null;
  /** The SMTP password (from `password_file` or `password_env`), or null for no authentication. */
  readonly password: Secret | null;
  /** The sender address (`From:` and the SMTP envelope). */
  readonly from: string;
  /** The recipients, at least one. */
  readonly to: readonly string[];
}

/** `monitor.notify.matrix`: an `m.room.message` per notification, sent by a bot account through the client-server API. */
export interface MatrixNotifyConfig {
  /** The bot's homeserver base URL (the client-server API is under `<homeserver>/_matrix/client/v3/`). */
  readonly homeserver: string;
  /** The bot's access token (from `access_token_file` or `access_token_env`). */
  readonly accessToken: Secret;
  /** The room the bot posts to (`!opaque:example.org`; the bot must have joined it). */
  readonly roomId: string;
}

/** The notification channels of the monitor; each is null when not configured. */
export interface NotifyConfig {
  readonly webhook: WebhookNotifyConfig | null;
  readonly email: EmailNotifyConfig | null;
  readonly matrix: MatrixNotifyConfig | null;
}

/** `monitor`: server names checked on a schedule, with notifications when their state changes. */
export interface MonitorConfig {
  /** The watched server names, as written, without duplicates (at least one). */
  readonly servers: readonly string[];
  /** Seconds between two checks of one name (jittered), at least 5. */
  readonly intervalSeconds: number;
  /** Consecutive failed checks before an alert (and, after one, a recovery notice once it works again). */
  readonly failuresBeforeAlert: number;
  /** Warn once when a certificate servers see expires within this many days; 0 turns the warning off. */
  readonly certificateWarningDays: number;
  /** Checks of watched names running at once. */
  readonly maxInFlight: number;
  /**
   * The state file (last state per name, notifications still to send), absolute; null for the default location
   * (docs/monitor.md). Unused with `cache_store: redis`, where the state is kept in Redis.
   */
  readonly statePath: string | null;
  /** The tester page's public URL; notifications link to `<page_url>?server_name=NAME`. Null: no link. */
  readonly pageUrl: string | null;
  readonly notify: NotifyConfig;
}

/** The complete, validated configuration of `serve`: every default filled in, every value checked. */
export interface ServeConfig {
  /** Where the configuration came from (a file path or a label such as `(built-in default config)`). */
  readonly source: string;
  /** The server name exactly as configured (`server_name`). */
  readonly serverName: string;
  /** The server name, parsed. */
  readonly serverNameParts: ServerName;
  /** The HTTP(S) listeners, at least one. */
  readonly listeners: readonly ListenerConfig[];
  /** Certificate and key, present exactly when a listener has `tls: true`. */
  readonly tls: TlsConfig | null;
  /** Synapse's `serve_server_wellknown`. */
  readonly serveServerWellknown: boolean;
  /** The `m.server` value to serve, in canonical `host[:port]` form, or null. Wins over {@link serveServerWellknown}. */
  readonly delegationTarget: string | null;
  /** Synapse's `public_baseurl`, always ending in `/`, or null (no client document). */
  readonly publicBaseurl: string | null;
  /** Synapse's `default_identity_server`, or null. */
  readonly defaultIdentityServer: string | null;
  /** Synapse's `extra_well_known_client_content` (never holds `m.homeserver` or `m.identity_server`). */
  readonly extraWellKnownClientContent: JsonObject;
  /** The support document's content, or null (no support document). */
  readonly support: SupportConfig | null;
  /** Federation tester settings. */
  readonly tester: TesterConfig;
  /** Cache-Control settings. */
  readonly cache: CacheConfig;
  /** Where the tester's results are cached (`cache_store`; memory when absent). */
  readonly cacheStore: CacheStoreSettings;
  /** Logging settings. */
  readonly logging: LoggingConfig;
  /** Metrics settings. */
  readonly metrics: MetricsConfig;
  /** The monitor (`monitor`), or null when the config has none. */
  readonly monitor: MonitorConfig | null;
}

/** Every stable code a {@link ConfigError} can carry; tests and tools match on these, not on the words. */
export const CONFIG_ERROR_CODES = [
  /** The file could not be read. */
  'file-unreadable',
  /** The text is not valid YAML. */
  'yaml-syntax',
  /** The document (or a section) is not a mapping. */
  'not-a-mapping',
  /** A required key is missing. */
  'required',
  /** A value has the wrong type (string for a number, ...). */
  'wrong-type',
  /** A number is outside its allowed range. */
  'out-of-range',
  /** A value is not one of the allowed choices. */
  'invalid-choice',
  /** A list that must not be empty is empty. */
  'empty',
  /** A value fails the server-name grammar (spec appendix "Server Name"). */
  'invalid-server-name',
  /** A value is not an acceptable http(s) URL. */
  'invalid-url',
  /** A bind address is not an IP address. */
  'invalid-address',
  /** Two listeners use the same port on the same address. */
  'duplicate-listener',
  /** A referenced file does not exist. */
  'file-missing',
  /** A file (the config, a certificate, a key) is a FIFO, a device, a directory or a socket, not a regular file. */
  'not-a-regular-file',
  /** A file is larger than its limit (1 MiB for the config and for PEM files). */
  'file-too-large',
  /** A referenced file does not hold the expected PEM block. */
  'not-pem',
  /** The private key does not belong to the certificate, or the pair cannot be loaded. */
  'tls-key-mismatch',
  /** A key that must not be used here (`m.homeserver` in `extra_well_known_client_content`). */
  'forbidden-key',
  /** A value that cannot be written as JSON (NaN, a date, ...). */
  'not-json',
  /** A support contact role is neither `m.role.*` from the spec nor namespaced. */
  'invalid-role',
  /** A support contact's `matrix_id` is not a user ID. */
  'invalid-matrix-id',
  /** A support contact's `email_address` is not an e-mail address. */
  'invalid-email',
  /** A support contact has neither `matrix_id` nor `email_address`. */
  'missing-contact-address',
  /** A network is not a valid CIDR. */
  'invalid-cidr',
  /** A DNS server is not `IP`, `IP:PORT` or `[IPv6]:PORT`. */
  'invalid-dns-server',
  /** A header value holds characters a header cannot carry. */
  'invalid-header-value',
  /** A secret (a password, a token) written into the config or a URL instead of a file or an environment variable. */
  'inline-secret',
  /** An environment variable a key names is not set (or empty). */
  'env-missing',
  /** A value is not a Matrix room ID (`!opaque:example.org`). */
  'invalid-room-id',
] as const;

/** A stable config error code; see {@link CONFIG_ERROR_CODES}. */
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

/** A segment of a key path: a mapping key or a list index. */
export type ConfigPathSegment = string | number;

/** One thing wrong with a configuration: the key, what is wrong, and how to fix it. */
export interface ConfigError {
  /** The key in display form, e.g. `listeners[0].port`; `(file)` or `(yaml)` for whole-file problems. */
  readonly key: string;
  /** The same key as path segments (`['listeners', 0, 'port']`); empty for whole-file problems. */
  readonly path: readonly ConfigPathSegment[];
  /** A stable code. */
  readonly code: ConfigErrorCode;
  /** What is wrong, in words an admin understands. */
  readonly problem: string;
  /** What to change. */
  readonly fix: string;
  /** 1-based line in the YAML source, when known. */
  readonly line?: number;
  /** 1-based column in the YAML source, when known. */
  readonly column?: number;
}

/** A loaded configuration. */
export interface ConfigSuccess {
  readonly ok: true;
  readonly config: ServeConfig;
  /** Things that work but are probably not what was meant (unknown keys, typos, ignored settings). */
  readonly warnings: string[];
  /**
   * Top-level keys of Synapse's homeserver.yaml that this server has no use for (`database`, `media_store_path`,
   * ...). They are ignored without a warning, so that a homeserver.yaml can be used as is; listed here for `--verbose`.
   */
  readonly ignoredSynapseKeys: string[];
}

/** A configuration that was refused: every error found, not only the first. */
export interface ConfigFailure {
  readonly ok: false;
  readonly errors: ConfigError[];
  /** Warnings found on the way (unknown keys and the like); often the cause of an error. */
  readonly warnings: string[];
}

/** The result of loading a configuration. */
export type ConfigResult = ConfigSuccess | ConfigFailure;
