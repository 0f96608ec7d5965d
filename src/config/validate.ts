// validateConfig(): plain data (parsed YAML) -> a complete ServeConfig, or every error found, each naming its key.

import { formatServerName, parseServerName, serverNameWarnings } from '../server-name/index.js';
import type { ServerName, ServerNameError } from '../server-name/index.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import { describeValue, isMapping, present, readBoolean, readString, warnUnknownKeys } from './fields.js';
import type { RawMapping } from './fields.js';
import { ConfigIssues, formatKeyPath } from './issues.js';
import type { PendingWarning } from './issues.js';
import { MAX_PEM_FILE_BYTES, readRegularFileSync } from './read-file.js';
import { TOP_LEVEL_KEYS } from './schema.js';
import { SYNAPSE_IGNORED_KEYS } from './synapse-keys.js';
import type { ConfigResult, ServeConfig } from './types.js';
import { validateCacheStore } from './validate-cache-store.js';
import { validateClientSettings } from './validate-client.js';
import { validateListeners } from './validate-listeners.js';
import { validateMonitor } from './validate-monitor.js';
import type { SecretEnvironment } from './validate-monitor.js';
import type { FileAccess } from './validate-listeners.js';
import { validateCache, validateLogging, validateMetrics, validateTester } from './validate-settings.js';
import { validateSupport } from './validate-support.js';

/** Options of {@link validateConfig} and the YAML loaders. */
export interface ValidateOptions {
  /** Where the data came from, for messages and {@link ServeConfig.source} (default `(config)`). */
  readonly sourceName?: string;
  /** Directory that relative file paths (TLS files, CA file) are resolved against (default: the working directory). */
  readonly baseDir?: string;
  /**
   * Reads a file as UTF-8; must throw an error with `code` on failure (default: {@link readRegularFileSync}, regular
   * files of at most 1 MiB; `loadConfigAsync` reads them asynchronously beforehand).
   */
  readonly readTextFile?: (path: string) => string;
  /** The current time, for certificate validity warnings (default: the clock). */
  readonly now?: () => Date;
  /** The environment the monitor's `*_env` keys read their secrets from (default: `process.env`). */
  readonly env?: SecretEnvironment;
}

/** The raw outcome of validation, before warnings are located in a YAML source and turned into text. */
export interface ValidationOutcome {
  readonly issues: ConfigIssues;
  /** The configuration, when there are no errors. */
  readonly config: ServeConfig | undefined;
}

/** The port a remote server uses when `m.server` or the server name has none (spec server-server API). */
const DEFAULT_FEDERATION_PORT = 8448;

/**
 * Validates configuration data (the parsed YAML, or an object built in code) into a complete
 * {@link ServeConfig}. Never throws for bad input: every problem is collected.
 *
 * @example
 * ```ts
 * const result = validateConfig({ server_name: 'example.com', delegation_target: 'synapse.example.com:443' });
 * if (result.ok) console.log(result.config.delegationTarget); // 'synapse.example.com:443'
 * else console.error(formatConfigErrors(result.errors));
 * ```
 */
export function validateConfig(raw: unknown, options: ValidateOptions = {}): ConfigResult {
  const { issues, config } = validateConfigData(raw, options);
  const warnings = issues.warnings.map((w) => formatWarning(w));
  if (config === undefined || issues.errors.length > 0) return { ok: false, errors: issues.errors, warnings };
  return { ok: true, config, warnings, ignoredSynapseKeys: [...issues.ignoredSynapseKeys] };
}

/** `key (line N): message`, or just the message for a warning about the whole file. */
export function formatWarning(warning: PendingWarning, line?: number): string {
  const key = formatKeyPath(warning.path);
  const where = line === undefined ? key : `${key} (line ${line})`;
  return where === '' ? warning.message : `${where}: ${warning.message}`;
}

/** Runs every validator and returns the collected issues with the config (undefined when there are errors). */
export function validateConfigData(raw: unknown, options: ValidateOptions = {}): ValidationOutcome {
  const issues = new ConfigIssues();
  const source = options.sourceName ?? '(config)';
  if (raw === null || raw === undefined) {
    issues.error(
      [],
      'required',
      'the configuration is empty',
      'write at least server_name: example.com (see examples/ for complete files)',
    );
    return { issues, config: undefined };
  }
  if (!isMapping(raw)) {
    issues.error(
      [],
      'not-a-mapping',
      `the configuration must be a mapping of keys, got ${describeValue(raw)}`,
      'start the file with keys such as server_name: example.com, one per line',
    );
    return { issues, config: undefined };
  }
  const files: FileAccess = {
    baseDir: options.baseDir ?? process.cwd(),
    readTextFile: options.readTextFile ?? ((path) => readRegularFileSync(path, { maxBytes: MAX_PEM_FILE_BYTES })),
    now: options.now ?? (() => new Date()),
  };

  for (const key of Object.keys(raw)) if (SYNAPSE_IGNORED_KEYS.has(key)) issues.ignoredSynapseKeys.push(key);
  warnUnknownKeys(issues, raw, [], TOP_LEVEL_KEYS, SYNAPSE_IGNORED_KEYS);

  const serverName = readServerName(issues, raw);
  const { listeners, tls } = validateListeners(issues, raw, serverName?.parts, files);
  const serveServerWellknown = readBoolean(
    issues,
    raw,
    'serve_server_wellknown',
    [],
    CONFIG_DEFAULTS.serveServerWellknown,
  );
  const delegationTarget = readDelegationTarget(issues, raw);
  const client = validateClientSettings(issues, raw);
  const support = validateSupport(issues, raw);
  const tester = validateTester(issues, raw, files);
  const cache = validateCache(issues, raw);
  const cacheStore = validateCacheStore(issues, raw);
  const logging = validateLogging(issues, raw);
  const metrics = validateMetrics(issues, raw);
  const monitor = validateMonitor(issues, raw, files, options.env ?? process.env);

  if (serverName !== undefined) {
    warnAboutDelegation(
      issues,
      serverName.parts,
      serveServerWellknown,
      delegationTarget,
      present(raw, 'delegation_target') !== undefined,
    );
  }
  if (cacheStore.kind === 'redis' && monitor !== null && monitor.statePath !== null && issues.errors.length === 0)
    issues.warn(
      ['monitor', 'state_path'],
      'ignored: with cache_store kind redis the monitor keeps its state in Redis, shared by every instance; remove state_path',
    );
  if (cacheStore.kind === 'redis' && monitor === null && issues.errors.length === 0) {
    // Only the tester's results, rate limits and in-flight markers (and the monitor's state) go through the store
    // (the documents are built once, in memory); markers only with results to share.
    if (!tester.enabled)
      issues.warn(
        ['cache_store'],
        'has no effect while the tester is off: only tester results are cached; set tester.enabled: true, or remove cache_store',
      );
    else if (tester.cacheSeconds === 0 && tester.rateLimitPerMinute === 0)
      issues.warn(
        ['cache_store'],
        'has no effect: tester.cache_seconds is 0, so no result is cached, and rate_limit_per_minute is 0, so there is no limit to share; set cache_seconds (e.g. 60), or remove cache_store',
      );
  }
  const servesServer = delegationTarget !== null || serveServerWellknown;
  if (
    !servesServer &&
    client.publicBaseurl === null &&
    support === null &&
    !tester.enabled &&
    monitor === null &&
    issues.errors.length === 0
  ) {
    issues.warn(
      [],
      'this configuration serves nothing: no delegation_target or serve_server_wellknown, no public_baseurl, no support and the tester is off, so every path answers 404',
    );
  }

  if (issues.errors.length > 0 || serverName === undefined) return { issues, config: undefined };
  const config: ServeConfig = {
    source,
    serverName: serverName.text,
    serverNameParts: serverName.parts,
    listeners,
    tls,
    serveServerWellknown,
    delegationTarget,
    ...client,
    support,
    tester,
    cache,
    cacheStore,
    logging,
    metrics,
    monitor,
  };
  return { issues, config: deepFreeze(config) };
}

function readServerName(issues: ConfigIssues, root: RawMapping): { text: string; parts: ServerName } | undefined {
  if (present(root, 'server_name') === undefined) {
    issues.error(
      ['server_name'],
      'required',
      'server_name is missing: it is the domain at the end of your user IDs (@user:example.com)',
      'add server_name: example.com (the same value as in homeserver.yaml)',
    );
    return undefined;
  }
  const text = readString(issues, root, 'server_name', [], 'example.com');
  if (text === undefined) return undefined;
  const parsed = parseServerName(text);
  if (!parsed.ok) {
    issues.error(
      ['server_name'],
      'invalid-server-name',
      serverNameProblem(text, parsed.error),
      serverNameFix(text, parsed.error, 'example.com'),
    );
    return undefined;
  }
  for (const warning of serverNameWarnings(parsed.value)) issues.warn(['server_name'], warning);
  return { text, parts: parsed.value };
}

function readDelegationTarget(issues: ConfigIssues, root: RawMapping): string | null {
  const text = readString(issues, root, 'delegation_target', [], 'synapse.example.com:443');
  if (text === undefined) return null;
  const parsed = parseServerName(text);
  if (!parsed.ok) {
    issues.error(
      ['delegation_target'],
      'invalid-server-name',
      `not a valid m.server value (host[:port]): ${serverNameProblem(text, parsed.error)}`,
      serverNameFix(text, parsed.error, 'synapse.example.com:443'),
    );
    return null;
  }
  return formatServerName(parsed.value);
}

/** The grammar's explanation, except for a URL, where it would talk about a strange port. */
function serverNameProblem(text: string, error: ServerNameError): string {
  return URL_PREFIX.test(text)
    ? `${JSON.stringify(text)} is a URL, not a host name with an optional port`
    : error.message;
}

const URL_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i;

/** A fix for the mistakes admins actually make: a URL, or a trailing slash, where a host[:port] belongs. */
function serverNameFix(text: string, error: ServerNameError, example: string): string {
  const url = URL_PREFIX.exec(text);
  if (url?.[1] !== undefined) return `write the host and port only, without the scheme and path: ${url[1]}`;
  if (text.endsWith('/') && parseServerName(text.replace(/\/+$/, '')).ok)
    return `remove the trailing slash: ${text.replace(/\/+$/, '')}`;
  if (error.rule === 'empty') return `write a host name, e.g. ${example}`;
  return `write a host name with an optional port, e.g. ${example}`;
}

/**
 * Notes about delegation settings that are valid but cannot work as the admin expects (spec server-server API,
 * "Resolving server names").
 */
function warnAboutDelegation(
  issues: ConfigIssues,
  name: ServerName,
  serveServerWellknown: boolean,
  delegationTarget: string | null,
  targetGiven: boolean,
): void {
  if (delegationTarget !== null && serveServerWellknown) {
    issues.warn(
      ['serve_server_wellknown'],
      `ignored: delegation_target is set and wins, so /.well-known/matrix/server announces ${delegationTarget}`,
    );
  }
  const servesServer = delegationTarget !== null || serveServerWellknown;
  if (!servesServer) return;
  const key = targetGiven ? 'delegation_target' : 'serve_server_wellknown';
  // Steps 1 and 2: IP literals and names with an explicit port are connected to directly; no well-known fetch.
  if (name.kind !== 'dns') {
    issues.warn(
      [key],
      `server_name is an IP address, so other servers connect to it directly (port ${name.port ?? DEFAULT_FEDERATION_PORT}) and never read /.well-known/matrix/server`,
    );
  } else if (name.port !== undefined) {
    issues.warn(
      [key],
      `server_name has an explicit port (${name.port}), so other servers connect to ${name.host}:${name.port} directly and never read /.well-known/matrix/server`,
    );
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
