// Validates this project's own sections: tester, cache, logging, metrics.

import { isAbsolute, resolve } from 'node:path';
import { parseDnsServer } from '../dns/index.js';
import { isMatrixDelegationError } from '../errors.js';
import { localize } from '../i18n/index.js';
import { createAddressPolicy } from '../net/address-policy.js';
import { CONFIG_TEXTS } from './config-texts.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import { present, readBoolean, readInteger, readSection, readString, readStringList } from './fields.js';
import type { RawMapping } from './fields.js';
import type { ConfigIssues } from './issues.js';
import { describeFileProblem } from './read-file.js';
import { CACHE_KEYS, LOGGING_KEYS, METRICS_KEYS, TESTER_KEYS } from './schema.js';
import { suggestKey } from './suggest.js';
import { LOG_LEVELS } from './types.js';
import type { CacheConfig, LoggingConfig, MetricsConfig, TesterConfig } from './types.js';
import type { FileAccess } from './validate-listeners.js';
import { SETTINGS_TEXTS } from './validate-settings-texts.js';

const MINUTE_SECONDS = 60;
const HOUR_SECONDS = 60 * MINUTE_SECONDS;
const YEAR_SECONDS = 365 * 24 * HOUR_SECONDS;

/** Synapse clamps a well-known lifetime taken from response headers to [5 min, 48 h] (ground-truth §2). */
const REMOTE_MIN_CACHE_SECONDS = 5 * MINUTE_SECONDS;
const REMOTE_MAX_CACHE_SECONDS = 48 * HOUR_SECONDS;

/** Validates `tester` (defaults: {@link CONFIG_DEFAULTS}.tester). */
export function validateTester(issues: ConfigIssues, root: RawMapping, files: FileAccess): TesterConfig {
  const t = localize(SETTINGS_TEXTS, issues.locale);
  const path = ['tester'];
  const section = readSection(issues, root, 'tester', [], TESTER_KEYS) ?? {};
  const d = CONFIG_DEFAULTS.tester;
  const enabled = readBoolean(issues, section, 'enabled', path, d.enabled);
  const rateLimitPerMinute = readInteger(issues, section, 'rate_limit_per_minute', path, {
    min: 0,
    max: 100_000,
    fallback: d.rateLimitPerMinute,
  });
  const maxInFlight = readInteger(issues, section, 'max_in_flight', path, {
    min: 1,
    max: 1_000,
    fallback: d.maxInFlight,
  });
  const cacheSeconds = readInteger(issues, section, 'cache_seconds', path, {
    min: 0,
    max: 24 * HOUR_SECONDS,
    fallback: d.cacheSeconds,
    unit: 'seconds',
  });
  const timeoutMs = readInteger(issues, section, 'timeout_ms', path, {
    min: 1_000,
    max: 600_000,
    fallback: d.timeoutMs,
    unit: 'milliseconds',
  });

  const allowNetworks: string[] = [];
  for (const { value, index } of readStringList(issues, section, 'allow_networks', path, '10.0.0.0/8') ?? []) {
    try {
      createAddressPolicy({ allowNetworks: [value] });
      allowNetworks.push(value);
    } catch (cause) {
      if (!isMatrixDelegationError(cause, 'INVALID_CIDR')) throw cause;
      issues.error(
        [...path, 'allow_networks', index],
        'invalid-cidr',
        issues.locale === 'en' ? cause.message : t('tester.cidrProblem', { value: JSON.stringify(value) }),
        t('tester.cidrFix'),
      );
    }
  }
  const dnsServers: string[] = [];
  for (const { value, index } of readStringList(issues, section, 'dns_servers', path, '127.0.0.53') ?? []) {
    try {
      parseDnsServer(value);
      dnsServers.push(value);
    } catch (cause) {
      if (!isMatrixDelegationError(cause)) throw cause;
      issues.error(
        [...path, 'dns_servers', index],
        'invalid-dns-server',
        issues.locale === 'en' ? cause.message : t('tester.dnsServerProblem', { value: JSON.stringify(value) }),
        t('tester.dnsServerFix'),
      );
    }
  }

  let caFile: string | null = null;
  let caPem: string | null = null;
  const caText = readString(issues, section, 'ca_file', path, '/etc/ssl/certs/extra-ca.pem');
  if (caText !== undefined) {
    const ca = readCaBundle(issues, caText, files);
    if (ca !== undefined) ({ path: caFile, text: caPem } = ca);
  }
  return {
    enabled,
    rateLimitPerMinute,
    maxInFlight,
    cacheSeconds,
    allowNetworks,
    dnsServers,
    caFile,
    caPem,
    timeoutMs,
  };
}

function readCaBundle(
  issues: ConfigIssues,
  configured: string,
  files: FileAccess,
): { path: string; text: string } | undefined {
  const t = localize(SETTINGS_TEXTS, issues.locale);
  const key = ['tester', 'ca_file'];
  const path = isAbsolute(configured) ? configured : resolve(files.baseDir, configured);
  let text: string;
  try {
    text = files.readTextFile(path);
  } catch (cause) {
    const p = describeFileProblem(
      cause,
      {
        shown: localize(CONFIG_TEXTS, issues.locale)('file.shown', { path }),
        setting: 'tester.ca_file',
        what: t('tester.caWhat'),
        missing: t('tester.caMissing'),
        unreadable: t('tester.caUnreadable'),
      },
      issues.locale,
    );
    issues.error(key, p.code, p.problem, p.fix);
    return undefined;
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    issues.error(key, 'not-pem', t('tester.caNotPemProblem', { file: path }), t('tester.caNotPemFix'));
    return undefined;
  }
  return { path, text };
}

/** Validates `cache` (defaults: {@link CONFIG_DEFAULTS}.cache). */
export function validateCache(issues: ConfigIssues, root: RawMapping): CacheConfig {
  const t = localize(SETTINGS_TEXTS, issues.locale);
  const path = ['cache'];
  const section = readSection(issues, root, 'cache', [], CACHE_KEYS) ?? {};
  const d = CONFIG_DEFAULTS.cache;
  const serverMaxAgeSeconds = readInteger(issues, section, 'server_max_age_seconds', path, {
    min: 0,
    max: YEAR_SECONDS,
    fallback: d.serverMaxAgeSeconds,
    unit: 'seconds',
  });
  if (present(section, 'server_max_age_seconds') !== undefined) {
    if (serverMaxAgeSeconds > REMOTE_MAX_CACHE_SECONDS) {
      issues.warn([...path, 'server_max_age_seconds'], t('cache.tooLong', { seconds: serverMaxAgeSeconds }));
    } else if (serverMaxAgeSeconds < REMOTE_MIN_CACHE_SECONDS) {
      issues.warn([...path, 'server_max_age_seconds'], t('cache.tooShort', { seconds: serverMaxAgeSeconds }));
    }
  }
  const supportMaxAgeSeconds = readInteger(issues, section, 'support_max_age_seconds', path, {
    min: 0,
    max: YEAR_SECONDS,
    fallback: d.supportMaxAgeSeconds,
    unit: 'seconds',
  });

  let clientCacheControl: string = d.clientCacheControl;
  const text = readString(issues, section, 'client_cache_control', path, d.clientCacheControl);
  if (text !== undefined) {
    // RFC 9110 §5.5: a field value is visible ASCII, spaces and tabs; anything else (a line break above all)
    // would corrupt the response.
    if (text.trim() === '' || !/^[\x20-\x7e\t]+$/.test(text)) {
      issues.error(
        [...path, 'client_cache_control'],
        'invalid-header-value',
        t('cache.headerProblem', { text: JSON.stringify(text) }),
        t('cache.headerFix', { example: d.clientCacheControl }),
      );
    } else {
      clientCacheControl = text.trim();
    }
  }
  return { serverMaxAgeSeconds, clientCacheControl, supportMaxAgeSeconds };
}

/** Validates `logging`. Levels are read case-insensitively, and `warning` means `warn` (Synapse's spelling). */
export function validateLogging(issues: ConfigIssues, root: RawMapping): LoggingConfig {
  const section = readSection(issues, root, 'logging', [], LOGGING_KEYS) ?? {};
  const text = readString(issues, section, 'level', ['logging'], 'info');
  if (text === undefined) return { level: CONFIG_DEFAULTS.logging.level };
  const lowered = text.toLowerCase() === 'warning' ? 'warn' : text.toLowerCase();
  const level = LOG_LEVELS.find((candidate) => candidate === lowered);
  if (level !== undefined) return { level };
  const close = suggestKey(lowered, LOG_LEVELS);
  const t = localize(SETTINGS_TEXTS, issues.locale);
  issues.error(
    ['logging', 'level'],
    'invalid-choice',
    t('logging.problem', { text: JSON.stringify(text) }),
    `${close === undefined ? '' : t('didYouMean', { close })}${t('logging.fix', { levels: LOG_LEVELS.join(', ') })}`,
  );
  return { level: CONFIG_DEFAULTS.logging.level };
}

/** Validates `metrics`. */
export function validateMetrics(issues: ConfigIssues, root: RawMapping): MetricsConfig {
  const section = readSection(issues, root, 'metrics', [], METRICS_KEYS) ?? {};
  return { enabled: readBoolean(issues, section, 'enabled', ['metrics'], CONFIG_DEFAULTS.metrics.enabled) };
}
