// validateConfig(): plain data (parsed YAML) -> a complete ServeConfig, or every error found, each naming its key.

import { DEFAULT_LOCALE, localize, type Locale } from '../i18n/index.js';
import { formatServerName, parseServerName, serverNameProblem, serverNameWarnings } from '../server-name/index.js';
import type { ServerName, ServerNameError } from '../server-name/index.js';
import { CONFIG_TEXTS } from './config-texts.js';
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
import { VALIDATE_TEXTS } from './validate-texts.js';

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
  /**
   * The language of the problems, fixes and warnings (default: English). The codes, keys, lines and the
   * configuration are the same in every language.
   */
  readonly locale?: Locale;
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
  const warnings = issues.warnings.map((w) => formatWarning(w, undefined, issues.locale));
  if (config === undefined || issues.errors.length > 0) return { ok: false, errors: issues.errors, warnings };
  return { ok: true, config, warnings, ignoredSynapseKeys: [...issues.ignoredSynapseKeys] };
}

/** `key (line N): message`, or just the message for a warning about the whole file (the frame in `locale`). */
export function formatWarning(warning: PendingWarning, line?: number, locale: Locale = DEFAULT_LOCALE): string {
  const t = localize(CONFIG_TEXTS, locale);
  const key = formatKeyPath(warning.path);
  const where = line === undefined ? key : `${key}${t('format.line', { line })}`;
  return where === '' ? warning.message : t('format.warning', { where, message: warning.message });
}

/** Runs every validator and returns the collected issues with the config (undefined when there are errors). */
export function validateConfigData(raw: unknown, options: ValidateOptions = {}): ValidationOutcome {
  const issues = new ConfigIssues(options.locale);
  const t = localize(VALIDATE_TEXTS, issues.locale);
  const source = options.sourceName ?? '(config)';
  if (raw === null || raw === undefined) {
    issues.error([], 'required', t('empty.problem'), t('empty.fix'));
    return { issues, config: undefined };
  }
  if (!isMapping(raw)) {
    issues.error(
      [],
      'not-a-mapping',
      t('notMapping.problem', { value: describeValue(raw, issues.locale) }),
      t('notMapping.fix'),
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
    issues.warn(['monitor', 'state_path'], t('warn.statePathWithRedis'));
  if (cacheStore.kind === 'redis' && monitor === null && issues.errors.length === 0) {
    // Only the tester's results, rate limits and in-flight markers (and the monitor's state) go through the store
    // (the documents are built once, in memory); markers only with results to share.
    if (!tester.enabled) issues.warn(['cache_store'], t('warn.cacheStoreWithoutTester'));
    else if (tester.cacheSeconds === 0 && tester.rateLimitPerMinute === 0)
      issues.warn(['cache_store'], t('warn.cacheStoreNothingToShare'));
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
    issues.warn([], t('warn.servesNothing'));
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
  const t = localize(VALIDATE_TEXTS, issues.locale);
  if (present(root, 'server_name') === undefined) {
    issues.error(['server_name'], 'required', t('serverName.missing'), t('serverName.missingFix'));
    return undefined;
  }
  const text = readString(issues, root, 'server_name', [], 'example.com');
  if (text === undefined) return undefined;
  const parsed = parseServerName(text);
  if (!parsed.ok) {
    issues.error(
      ['server_name'],
      'invalid-server-name',
      nameProblem(text, parsed.error, issues.locale),
      serverNameFix(text, parsed.error, 'example.com', issues.locale),
    );
    return undefined;
  }
  for (const warning of serverNameWarnings(parsed.value, issues.locale)) issues.warn(['server_name'], warning);
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
      localize(VALIDATE_TEXTS, issues.locale)('delegationTarget.problem', {
        problem: nameProblem(text, parsed.error, issues.locale),
      }),
      serverNameFix(text, parsed.error, 'synapse.example.com:443', issues.locale),
    );
    return null;
  }
  return formatServerName(parsed.value);
}

/** The grammar's explanation, except for a URL, where it would talk about a strange port. */
function nameProblem(text: string, error: ServerNameError, locale: Locale): string {
  return URL_PREFIX.test(text)
    ? localize(VALIDATE_TEXTS, locale)('serverName.url', { text: JSON.stringify(text) })
    : serverNameProblem(error, locale);
}

const URL_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i;

/** A fix for the mistakes admins actually make: a URL, or a trailing slash, where a host[:port] belongs. */
function serverNameFix(text: string, error: ServerNameError, example: string, locale: Locale): string {
  const t = localize(VALIDATE_TEXTS, locale);
  const url = URL_PREFIX.exec(text);
  if (url?.[1] !== undefined) return t('serverName.fixUrl', { hostPort: url[1] });
  if (text.endsWith('/') && parseServerName(text.replace(/\/+$/, '')).ok)
    return t('serverName.fixSlash', { name: text.replace(/\/+$/, '') });
  if (error.rule === 'empty') return t('serverName.fixEmpty', { example });
  return t('serverName.fix', { example });
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
  const t = localize(VALIDATE_TEXTS, issues.locale);
  if (delegationTarget !== null && serveServerWellknown) {
    issues.warn(['serve_server_wellknown'], t('warn.serveServerWellknownIgnored', { target: delegationTarget }));
  }
  const servesServer = delegationTarget !== null || serveServerWellknown;
  if (!servesServer) return;
  const key = targetGiven ? 'delegation_target' : 'serve_server_wellknown';
  // Steps 1 and 2: IP literals and names with an explicit port are connected to directly; no well-known fetch.
  if (name.kind !== 'dns') {
    issues.warn([key], t('warn.ipLiteral', { port: name.port ?? DEFAULT_FEDERATION_PORT }));
  } else if (name.port !== undefined) {
    issues.warn([key], t('warn.explicitPort', { port: name.port, host: name.host }));
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
