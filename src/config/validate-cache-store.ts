// Validates `cache_store`: where the tester keeps its results (memory, or Redis shared by several instances).

import { checkRedisUrl } from '../cache/redis-store.js';
import { isMatrixDelegationError } from '../errors.js';
import { localize } from '../i18n/index.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import { describeValue, present, readInteger, readSection, readString } from './fields.js';
import type { RawMapping } from './fields.js';
import type { ConfigIssues } from './issues.js';
import { CACHE_STORE_KEYS } from './schema.js';
import { suggestKey } from './suggest.js';
import { CACHE_STORE_KINDS } from './types.js';
import type { CacheStoreKind, CacheStoreSettings } from './types.js';
import { SETTINGS_TEXTS } from './validate-settings-texts.js';

const PATH = ['cache_store'] as const;
const EXAMPLE_URL = 'redis://127.0.0.1:6379/0';

/** Upper bounds: far above any sensible value, low enough that a slip of the keyboard is caught. */
const MAX_ENTRIES_LIMIT = 100_000_000;
const MAX_BYTES_LIMIT = 16 * 1024 * 1024 * 1024;
/** Longest `key_prefix`: a prefix is a namespace, not data. */
const MAX_KEY_PREFIX_LENGTH = 100;
/** Below this byte bound few check reports (5 to 20 KB of JSON each) fit, so caching mostly stops working. */
const SMALL_MAX_BYTES = 64 * 1024;

/**
 * Validates `cache_store` (defaults: {@link CONFIG_DEFAULTS}.cacheStore; absent means memory). Every mistake names
 * its key: an unknown kind (with "did you mean"), a Redis store without a usable `url`, `url` or `key_prefix` on
 * a memory store (the admin probably meant `kind: redis` and would otherwise believe the cache is shared), sizes
 * that are not positive whole numbers. Unknown sub-keys are warnings, as everywhere in the config.
 */
export function validateCacheStore(issues: ConfigIssues, root: RawMapping): CacheStoreSettings {
  const t = localize(SETTINGS_TEXTS, issues.locale);
  const d = CONFIG_DEFAULTS.cacheStore;
  const fallback: CacheStoreSettings = {
    kind: d.kind,
    url: null,
    keyPrefix: d.keyPrefix,
    maxEntries: d.maxEntries,
    maxBytes: d.maxBytes,
  };
  const raw = present(root, 'cache_store');
  // `cache_store: redis` is the likeliest shape mistake: say what the mapping looks like.
  if (typeof raw === 'string' && CACHE_STORE_KINDS.some((kind) => kind === raw.trim().toLowerCase())) {
    const kind = raw.trim().toLowerCase();
    issues.error(
      [...PATH],
      'not-a-mapping',
      t('store.wordMappingProblem', { value: describeValue(raw, issues.locale) }),
      kind === 'redis' ? t('store.wordRedisFix', { url: EXAMPLE_URL }) : t('store.wordMemoryFix'),
    );
    return fallback;
  }
  const section = readSection(issues, root, 'cache_store', [], CACHE_STORE_KEYS);
  if (section === undefined) return fallback;

  const kind = readKind(issues, section);
  const urlText = readString(issues, section, 'url', PATH, EXAMPLE_URL);
  const prefixText = readString(issues, section, 'key_prefix', PATH, d.keyPrefix);
  const maxEntries = readInteger(issues, section, 'max_entries', PATH, {
    min: 1,
    max: MAX_ENTRIES_LIMIT,
    fallback: d.maxEntries,
    unit: 'entries',
  });
  const maxBytes = readInteger(issues, section, 'max_bytes', PATH, {
    min: 1,
    max: MAX_BYTES_LIMIT,
    fallback: d.maxBytes,
    unit: 'bytes',
  });
  if (present(section, 'max_bytes') !== undefined && maxBytes < SMALL_MAX_BYTES) {
    issues.warn([...PATH, 'max_bytes'], t('store.smallBytes', { bytes: maxBytes }));
  }

  let url: string | null = null;
  let keyPrefix: string = d.keyPrefix;
  if (kind === 'memory') {
    // Present and invalid was already reported by readString; present and valid is the mistake reported here.
    if (urlText !== undefined) {
      issues.error([...PATH, 'url'], 'forbidden-key', t('store.urlOnMemory'), t('store.urlOnMemoryFix'));
    }
    if (prefixText !== undefined) {
      issues.error([...PATH, 'key_prefix'], 'forbidden-key', t('store.prefixOnMemory'), t('store.prefixOnMemoryFix'));
    }
  } else if (kind === 'redis') {
    if (urlText === undefined) {
      if (present(section, 'url') === undefined) {
        issues.error([...PATH, 'url'], 'required', t('store.noUrlProblem'), t('store.noUrlFix', { url: EXAMPLE_URL }));
      }
    } else {
      url = checkUrl(issues, urlText) ?? null;
    }
    if (prefixText !== undefined) keyPrefix = checkKeyPrefix(issues, prefixText) ?? keyPrefix;
  } else {
    // An unknown kind was reported; the other values are still checked, so that every error shows at once.
    if (urlText !== undefined) checkUrl(issues, urlText);
    if (prefixText !== undefined) checkKeyPrefix(issues, prefixText);
  }
  return { kind: kind ?? d.kind, url, keyPrefix, maxEntries, maxBytes };
}

/** `kind`, read case-insensitively (like `logging.level`); undefined after an error. Absent means memory. */
function readKind(issues: ConfigIssues, section: RawMapping): CacheStoreKind | undefined {
  const text = readString(issues, section, 'kind', PATH, 'redis');
  if (text === undefined) return present(section, 'kind') === undefined ? CONFIG_DEFAULTS.cacheStore.kind : undefined;
  const lowered = text.trim().toLowerCase();
  const kind = CACHE_STORE_KINDS.find((candidate) => candidate === lowered);
  if (kind !== undefined) return kind;
  const close = suggestKey(lowered, CACHE_STORE_KINDS);
  const t = localize(SETTINGS_TEXTS, issues.locale);
  issues.error(
    [...PATH, 'kind'],
    'invalid-choice',
    t('store.kindProblem', { text: JSON.stringify(text) }),
    `${close === undefined ? '' : t('didYouMean', { close })}${t('store.kindFix')}`,
  );
  return undefined;
}

/** A Redis URL ioredis reads as meant, or undefined after an error. */
function checkUrl(issues: ConfigIssues, text: string): string | undefined {
  const t = localize(SETTINGS_TEXTS, issues.locale);
  const key = [...PATH, 'url'];
  try {
    checkRedisUrl(text);
  } catch (cause) {
    if (!isMatrixDelegationError(cause, 'INVALID_ARGUMENT')) throw cause;
    const fix = /^[\w.-]+:\d+$/.test(text.trim())
      ? t('store.urlBareFix', { url: text.trim() })
      : t('store.urlFix', { example: EXAMPLE_URL });
    issues.error(key, 'invalid-url', t('store.urlProblem', { text: JSON.stringify(text) }), fix);
    return undefined;
  }
  const url = new URL(text);
  // `redis:host` parses with an empty host, and ioredis would then quietly use localhost.
  if (url.hostname === '' || !/^rediss?:\/\//i.test(text)) {
    issues.error(
      key,
      'invalid-url',
      t('store.noHostProblem', { text: JSON.stringify(text) }),
      t('store.noHostFix', { example: EXAMPLE_URL }),
    );
    return undefined;
  }
  // ioredis reads the path as the database number; anything else would be silently replaced by database 0.
  if (!/^\/?(\d+)?$/.test(url.pathname)) {
    issues.error(
      key,
      'invalid-url',
      t('store.pathProblem', { path: JSON.stringify(url.pathname) }),
      t('store.pathFix', { example: EXAMPLE_URL }),
    );
    return undefined;
  }
  return text;
}

/** A usable prefix, or undefined after an error. */
function checkKeyPrefix(issues: ConfigIssues, text: string): string | undefined {
  const t = localize(SETTINGS_TEXTS, issues.locale);
  const key = [...PATH, 'key_prefix'];
  if (text === '') {
    issues.error(
      key,
      'empty',
      t('store.emptyPrefixProblem'),
      t('store.emptyPrefixFix', { prefix: CONFIG_DEFAULTS.cacheStore.keyPrefix }),
    );
    return undefined;
  }
  const unusable = [...text].some((c) => /\s/.test(c) || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (text.length > MAX_KEY_PREFIX_LENGTH || unusable) {
    issues.error(
      key,
      'invalid-choice',
      t('store.prefixProblem', { text: JSON.stringify(text), max: MAX_KEY_PREFIX_LENGTH }),
      t('store.prefixFix'),
    );
    return undefined;
  }
  return text;
}
