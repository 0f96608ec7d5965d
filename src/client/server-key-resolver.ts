// Other servers' signing keys (server-server API "Retrieving server keys"): fetched through the federation client, checked, cached.

import { createCoalescer } from '../cache/coalesce.js';
import { createMemoryStore } from '../cache/memory-store.js';
import type { CacheStore } from '../cache/types.js';
import { MatrixDelegationError } from '../errors.js';
import { decodeBase64, encodeUnpaddedBase64 } from '../keys/base64.js';
import { ED25519_KEY_BYTES } from '../keys/ed25519.js';
import {
  MAX_KEY_VALIDITY_MS,
  checkNotarySignature,
  readServerKeysDocument,
  signingKeyIds,
  type ServerVerifyKey,
} from '../keys/server-keys-document.js';
import { operationSignal } from '../net/abort.js';
import { isJsonObject } from '../net/json-body.js';
import { functionOption, integerOption, invalidOption, optionsObject, timeoutOption } from '../options/validate.js';
import { parseServerName } from '../server-name/parse.js';
import type { FederationClient } from './federation-client.js';

/**
 * What a key is asked for: `request` (the default) accepts only keys of `verify_keys`, since `old_verify_keys` "are
 * only valid for signing events" (server-server API, "Publishing Keys"); `event` accepts both, each until its time.
 */
export type VerifyKeyPurpose = 'request' | 'event';

/** Options of one look-up. */
export interface GetVerifyKeyOptions {
  /** When the signature to check was made, ms since the epoch [now]: the key must be valid then. */
  readonly validAtTs?: number;
  /** [`'request'`] see {@link VerifyKeyPurpose}. */
  readonly purpose?: VerifyKeyPurpose;
  /** Gives up waiting (the fetch itself goes on for other callers waiting for the same server). */
  readonly signal?: AbortSignal;
}

/**
 * Why no key was returned:
 * - `KEY_NOT_FOUND`: the server (or a notary) answered with valid keys, none with that id;
 * - `KEY_EXPIRED`: the key is known but not valid at the time asked (its `valid_until_ts`, capped at 7 days after it
 *   was fetched, has passed; or it is an old key and `purpose` is `request`);
 * - `KEY_UNAVAILABLE`: no valid answer could be had (network errors, bad signatures, a wrong `server_name`...).
 */
export type VerifyKeyLookupCode = 'KEY_NOT_FOUND' | 'KEY_EXPIRED' | 'KEY_UNAVAILABLE';

/** Every {@link VerifyKeyLookupCode}. */
export const VERIFY_KEY_LOOKUP_CODES: readonly VerifyKeyLookupCode[] = [
  'KEY_NOT_FOUND',
  'KEY_EXPIRED',
  'KEY_UNAVAILABLE',
];

/** The result of {@link ServerKeyResolver.getVerifyKey}. */
export type VerifyKeyLookup =
  | {
      readonly ok: true;
      readonly serverName: string;
      readonly keyId: string;
      /** The 32-byte ed25519 public key. */
      readonly publicKey: Uint8Array;
      /** Until when the key is valid, ms since the epoch (see {@link ServerVerifyKey.validUntilTs}). */
      readonly validUntilTs: number;
      /** True for a key of `old_verify_keys`. */
      readonly old: boolean;
      /** `cache` when no fetch was needed; else where the key came from now. */
      readonly source: 'cache' | 'server' | 'notary';
    }
  | { readonly ok: false; readonly code: VerifyKeyLookupCode; readonly message: string };

/** Anything that finds a server's verify keys: a {@link ServerKeyResolver}, or a fixed table in tests. */
export interface VerifyKeySource {
  /** The key `keyId` of `serverName`, valid at `options.validAtTs` for `options.purpose`. Never rejects for a remote fault. */
  getVerifyKey(serverName: string, keyId: string, options?: GetVerifyKeyOptions): Promise<VerifyKeyLookup>;
}

/** A {@link VerifyKeySource} that fetches, checks and caches keys. Close it when done (it closes the store it created). */
export interface ServerKeyResolver extends VerifyKeySource {
  /** Closes the store when the resolver created it (a store given as `options.store` is the caller's). */
  close(): Promise<void>;
}

/** A notary server (a "trusted key server") and, optionally, its keys. */
export interface NotaryServer {
  /** Its server name. */
  readonly serverName: string;
  /**
   * Its verify keys, key id -> unpadded base64, as configured (Synapse's `trusted_key_servers[].verify_keys`). Without
   * them, the notary's keys are fetched from the notary itself (`/_matrix/key/v2/server`, authenticated by TLS).
   */
  readonly verifyKeys?: Readonly<Record<string, string>>;
}

/** Options of {@link createServerKeyResolver}. Defaults in brackets. */
export interface ServerKeyResolverOptions {
  /** The federation client keys are fetched with, so that each server is found as the spec says (delegation included). */
  readonly client: Pick<FederationClient, 'fetch'>;
  /** Notaries asked (in order) when a server's own answer does not have the key, or cannot be had [none]. */
  readonly notaryServers?: readonly (string | NotaryServer)[];
  /**
   * Where keys are cached: a store of `src/cache` (memory, or Redis shared by several processes) [a memory store of
   * 10 000 entries and 16 MiB the resolver creates and closes]. A store given here is the caller's to close.
   */
  readonly store?: CacheStore;
  /** The cap on a key's validity after it was fetched [7 days, the spec's "lesser of valid_until_ts and 7 days"]. */
  readonly maxValidityMs?: number;
  /**
   * The least time between two fetches of one server's keys, even for a key id it did not have [60 000]: a request
   * signed with made-up key ids must not make us fetch the origin's keys each time ("Requesting servers should limit
   * how frequently they query for certificates", keys_server.yaml).
   */
  readonly minRefetchIntervalMs?: number;
  /** Time allowed to each fetch (the server's own answer, each notary's) [10 000]. */
  readonly timeoutMs?: number;
  /** Largest key response read, in bytes [1 MiB]. */
  readonly maxResponseBytes?: number;
  /** The clock, ms since the epoch [Date.now]. */
  readonly now?: () => number;
}

const DEFAULTS = { minRefetchIntervalMs: 60_000, timeoutMs: 10_000, maxResponseBytes: 1024 * 1024 } as const;
/** Prefix of the resolver's entries in a shared store (the resolver cache uses `n:`). */
const STORE_PREFIX = 'server-keys:v1:';
/** Keys kept per server (the last answers merged), and notary answers read per query. */
const MAX_RECORD_KEYS = 64;
const MAX_NOTARY_ENTRIES = 16;
/** Notary keys fetched to check one answer. */
const MAX_NOTARY_KEY_LOOKUPS = 4;

/** One server's keys as the store keeps them. */
interface KeyRecord {
  readonly v: 1;
  /** When the keys were last fetched (or tried), ms since the epoch. */
  readonly attemptedAt: number;
  /** The last fetch got a valid answer from the server or a notary. */
  readonly answered: boolean;
  readonly keys: Readonly<Record<string, StoredKey>>;
  /** What went wrong in the last fetch (for the message of a failed look-up). */
  readonly errors: readonly string[];
}

interface StoredKey {
  /** Unpadded base64 of the 32-byte key. */
  readonly key: string;
  readonly until: number;
  readonly old: boolean;
  readonly from: 'server' | 'notary';
  /** When it was fetched (a refresh that fails keeps the keys of an earlier one). */
  readonly at: number;
}

/**
 * Creates a resolver of other servers' verify keys (server-server API "Retrieving server keys"), for checking their
 * requests ({@link verifyFederationRequest}) and events:
 * - a server's keys are fetched from `GET /_matrix/key/v2/server` through `options.client`, so delegation (well-known,
 *   SRV) is followed exactly as for any federation request; the answer must carry `server_name` equal to the name
 *   asked for and be signed by its own `verify_keys`;
 * - each key is valid until the lesser of `valid_until_ts` and 7 days after the fetch (keys.yaml); keys of
 *   `old_verify_keys` until their `expired_ts`, and for events only;
 * - when the server's own answer fails or lacks the key, the notaries are asked in turn
 *   (`GET /_matrix/key/v2/query/{serverName}?minimum_valid_until_ts=`); an answer counts only when it is signed both
 *   by the server and by the notary (with its configured keys, or the ones it publishes itself);
 * - answers are cached in `options.store` until the keys expire; a server whose keys cannot be fetched keeps its
 *   cached keys until they expire; one server is fetched at most every `minRefetchIntervalMs`, and concurrent
 *   look-ups of one server share one fetch.
 *
 * @example
 * ```ts
 * const client = createFederationClient({ origin: 'example.org', signingKey });
 * const keys = createServerKeyResolver({ client, notaryServers: ['matrix.org'] });
 * const found = await keys.getVerifyKey('other.example', 'ed25519:a_AbCd');
 * if (found.ok) console.log(found.publicKey, new Date(found.validUntilTs));
 * ```
 */
export function createServerKeyResolver(options: ServerKeyResolverOptions): ServerKeyResolver {
  const given = optionsObject<ServerKeyResolverOptions>('options', options);
  const client = withMethods<Pick<FederationClient, 'fetch'>>(
    'client',
    given.client,
    ['fetch'],
    'a federation client (createFederationClient)',
  );
  const notaries = checkNotaries(given.notaryServers);
  const now = functionOption<() => number>('now', given.now) ?? Date.now;
  const maxValidityMs = integerOption('maxValidityMs', given.maxValidityMs, MAX_KEY_VALIDITY_MS, {
    min: 1,
    max: MAX_KEY_VALIDITY_MS,
    unit: 'milliseconds',
  });
  const minRefetchIntervalMs = integerOption(
    'minRefetchIntervalMs',
    given.minRefetchIntervalMs,
    DEFAULTS.minRefetchIntervalMs,
    {
      min: 0,
      max: MAX_KEY_VALIDITY_MS,
      unit: 'milliseconds',
    },
  );
  const timeoutMs = timeoutOption('timeoutMs', given.timeoutMs, DEFAULTS.timeoutMs);
  const maxResponseBytes = integerOption('maxResponseBytes', given.maxResponseBytes, DEFAULTS.maxResponseBytes, {
    min: 1024,
    max: 64 * 1024 * 1024,
    unit: 'bytes',
  });
  const store =
    given.store === undefined
      ? createMemoryStore({ maxEntries: 10_000, maxBytes: 16 * 1024 * 1024, now })
      : withMethods<CacheStore>(
          'store',
          given.store,
          ['get', 'set', 'close'],
          'a cache store (createCacheStore, createMemoryStore)',
        );
  const ownsStore = given.store === undefined;
  const flights = createCoalescer<KeyRecord>();

  const readRecord = async (serverName: string): Promise<KeyRecord | undefined> =>
    decodeRecord(await store.get(STORE_PREFIX + serverName));

  /** Fetches the server's own keys document. */
  const fetchDirect = async (
    serverName: string,
    signal: AbortSignal,
  ): Promise<Outcome<ReadonlyMap<string, ServerVerifyKey>>> => {
    const body = await fetchJson(serverName, '/_matrix/key/v2/server', signal);
    if (!body.ok) return body;
    const document = readServerKeysDocument(body.value, serverName, { fetchedAt: now(), maxValidityMs });
    return document.ok ? { ok: true, value: document.keys } : { ok: false, message: document.message };
  };

  /** Asks one notary for the server's keys valid at `validAtTs`, and checks both signatures of each answer. */
  const queryNotary = async (
    notary: NotaryServer,
    serverName: string,
    validAtTs: number,
    signal: AbortSignal,
  ): Promise<Outcome<ReadonlyMap<string, ServerVerifyKey>>> => {
    const path = `/_matrix/key/v2/query/${encodeURIComponent(serverName)}?minimum_valid_until_ts=${Math.max(0, Math.floor(validAtTs))}`;
    const body = await fetchJson(notary.serverName, path, signal);
    if (!body.ok) return body;
    const entries = isJsonObject(body.value) ? body.value['server_keys'] : undefined;
    if (!Array.isArray(entries)) return { ok: false, message: 'the answer has no "server_keys" list' };
    const relevant = entries
      .slice(0, MAX_NOTARY_ENTRIES)
      .filter((e) => isJsonObject(e) && e['server_name'] === serverName);
    if (relevant.length === 0) return { ok: false, message: `the notary has no keys for ${serverName}` };
    const notaryKeys = await keysOfNotary(notary, relevant, signal);
    const merged = new Map<string, ServerVerifyKey>();
    const problems: string[] = [];
    for (const entry of relevant) {
      // Both signatures: the notary vouches for what it relays, the server for what it published.
      const vouched = checkNotarySignature(entry, notary.serverName, notaryKeys);
      if (!vouched.ok) {
        problems.push(vouched.message);
        continue;
      }
      const document = readServerKeysDocument(entry, serverName, { fetchedAt: now(), maxValidityMs });
      if (!document.ok) {
        problems.push(document.message);
        continue;
      }
      for (const [id, key] of document.keys) mergeKey(merged, id, key);
    }
    if (merged.size === 0) return { ok: false, message: problems.slice(0, 3).join('; ') || 'no usable answer' };
    return { ok: true, value: merged };
  };

  /** The notary's keys: configured, or looked up from the notary itself (never through another notary). */
  const keysOfNotary = async (
    notary: NotaryServer,
    entries: readonly unknown[],
    signal: AbortSignal,
  ): Promise<Map<string, Uint8Array>> => {
    const keys = new Map<string, Uint8Array>();
    if (notary.verifyKeys !== undefined) {
      for (const [id, text] of Object.entries(notary.verifyKeys)) {
        const bytes = decodeBase64(text, { allowUrlSafe: true });
        if (bytes !== null && bytes.length === ED25519_KEY_BYTES) keys.set(id, bytes);
      }
      return keys;
    }
    const ids = [...new Set(entries.flatMap((e) => signingKeyIds(e, notary.serverName)))].slice(
      0,
      MAX_NOTARY_KEY_LOOKUPS,
    );
    for (const id of ids) {
      const found = await lookup(notary.serverName, id, { purpose: 'request', signal }, false);
      if (found.ok) keys.set(id, found.publicKey);
    }
    return keys;
  };

  /** GET `path` of `serverName` through the client, within the time and size limits, parsed as JSON. */
  const fetchJson = async (serverName: string, path: string, signal: AbortSignal): Promise<Outcome<unknown>> => {
    const op = operationSignal(timeoutMs, signal);
    try {
      const response = await client.fetch(serverName, path, { signal: op.signal, maxBytes: maxResponseBytes });
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: false, message: `${path.split('?')[0] ?? path} answered HTTP ${response.status}` };
      }
      const text = await response.text();
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, message: 'the answer is not JSON' };
      }
    } catch (error) {
      if (op.signal.aborted && !signal.aborted) return { ok: false, message: `no answer within ${timeoutMs} ms` };
      const code = error instanceof MatrixDelegationError ? `${error.code}: ` : '';
      return { ok: false, message: `${code}${error instanceof Error ? error.message : String(error)}` };
    } finally {
      op.dispose();
    }
  };

  /** Fetches a server's keys (its own answer, then the notaries as needed), stores and returns the new record. */
  const refresh = async (
    serverName: string,
    keyId: string,
    validAtTs: number,
    purpose: VerifyKeyPurpose,
    useNotaries: boolean,
    signal: AbortSignal,
  ): Promise<KeyRecord> => {
    const previous = await readRecord(serverName);
    const attemptedAt = now();
    const errors: string[] = [];
    let answered = false;
    let keys = new Map<string, StoredKey>(Object.entries(previous?.keys ?? {}));
    const direct = await fetchDirect(serverName, signal);
    if (direct.ok) {
      // The server's own answer is authoritative: a key it no longer lists (revoked) is dropped, one it moved to
      // old_verify_keys becomes old.
      keys = new Map([...direct.value].map(([id, key]) => [id, toStored(key, 'server', attemptedAt)]));
      answered = true;
    } else {
      errors.push(`${serverName}: ${direct.message}`);
    }
    if (useNotaries) {
      for (const notary of notaries) {
        if (
          evaluate({ v: 1, attemptedAt, answered, keys: Object.fromEntries(keys), errors }, keyId, validAtTs, purpose)
            .ok
        )
          break;
        // A notary asked about itself would wait for this very fetch.
        if (notary.serverName === serverName || signal.aborted) continue;
        const relayed = await queryNotary(notary, serverName, validAtTs, signal);
        if (!relayed.ok) {
          errors.push(`notary ${notary.serverName}: ${relayed.message}`);
          continue;
        }
        answered = true;
        for (const [id, key] of relayed.value) {
          const existing = keys.get(id);
          if (existing === undefined || key.validUntilTs > existing.until)
            keys.set(id, toStored(key, 'notary', attemptedAt));
        }
      }
    }
    const kept = [...keys].sort((a, b) => b[1].until - a[1].until).slice(0, MAX_RECORD_KEYS);
    const record: KeyRecord = {
      v: 1,
      attemptedAt,
      answered,
      keys: Object.fromEntries(kept),
      errors: errors.slice(0, 4).map((e) => e.slice(0, 512)),
    };
    const latest = Math.max(0, ...kept.map(([, key]) => key.until));
    // Kept until its last key expires, and at least the refetch interval (a failure is remembered that long).
    const ttl = Math.min(Math.max(latest - attemptedAt, minRefetchIntervalMs, 1), maxValidityMs);
    await store.set(STORE_PREFIX + serverName, JSON.stringify(record), ttl);
    return record;
  };

  const lookup = async (
    serverName: string,
    keyId: string,
    lookupOptions: GetVerifyKeyOptions,
    useNotaries: boolean,
  ): Promise<VerifyKeyLookup> => {
    const validAtTs = lookupOptions.validAtTs ?? now();
    const purpose = lookupOptions.purpose ?? 'request';
    if (!parseServerName(serverName).ok)
      return {
        ok: false,
        code: 'KEY_UNAVAILABLE',
        message: `${JSON.stringify(serverName.slice(0, 300))} is not a server name`,
      };
    const cached = await readRecord(serverName);
    if (cached !== undefined) {
      const result = evaluate(cached, keyId, validAtTs, purpose);
      if (result.ok)
        return {
          ok: true,
          publicKey: result.publicKey,
          validUntilTs: result.validUntilTs,
          old: result.old,
          serverName,
          keyId,
          source: 'cache',
        };
      // Fetched recently: answer from what we have rather than asking again.
      if (now() - cached.attemptedAt < minRefetchIntervalMs) return describeFailure(result, cached, serverName, keyId);
    }
    let record: KeyRecord;
    try {
      record = await flights.run(
        serverName,
        (signal) => refresh(serverName, keyId, validAtTs, purpose, useNotaries, signal),
        lookupOptions.signal,
      );
    } catch (error) {
      if (lookupOptions.signal?.aborted === true) throw lookupOptions.signal.reason;
      return {
        ok: false,
        code: 'KEY_UNAVAILABLE',
        message: `fetching the keys of ${serverName} failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const result = evaluate(record, keyId, validAtTs, purpose);
    if (!result.ok) return describeFailure(result, record, serverName, keyId);
    // A key kept from an earlier fetch (this one failed) comes from the cache.
    const source = result.at === record.attemptedAt ? result.from : 'cache';
    return {
      ok: true,
      publicKey: result.publicKey,
      validUntilTs: result.validUntilTs,
      old: result.old,
      serverName,
      keyId,
      source,
    };
  };

  return {
    async getVerifyKey(serverName, keyId, lookupOptions = {}) {
      if (typeof serverName !== 'string') throw invalidOption('serverName', 'a server name', serverName);
      if (typeof keyId !== 'string') throw invalidOption('keyId', 'a key id such as ed25519:abc', keyId);
      const checked = optionsObject<GetVerifyKeyOptions>('options', lookupOptions);
      if (checked.validAtTs !== undefined && !Number.isSafeInteger(checked.validAtTs))
        throw invalidOption('options.validAtTs', 'a timestamp in ms', checked.validAtTs);
      if (checked.purpose !== undefined && checked.purpose !== 'request' && checked.purpose !== 'event') {
        throw invalidOption('options.purpose', '"request" or "event"', checked.purpose);
      }
      return lookup(serverName, keyId, checked, true);
    },
    async close() {
      if (ownsStore) await store.close();
    },
  };
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

type Evaluation =
  | {
      readonly ok: true;
      readonly publicKey: Uint8Array;
      readonly validUntilTs: number;
      readonly old: boolean;
      readonly from: 'server' | 'notary';
      readonly at: number;
    }
  | { readonly ok: false; readonly code: VerifyKeyLookupCode; readonly why: string };

/** Whether a record holds `keyId`, valid at `validAtTs` for `purpose`. */
function evaluate(record: KeyRecord, keyId: string, validAtTs: number, purpose: VerifyKeyPurpose): Evaluation {
  const stored = Object.hasOwn(record.keys, keyId) ? record.keys[keyId] : undefined;
  if (stored === undefined) {
    return record.answered
      ? { ok: false, code: 'KEY_NOT_FOUND', why: 'it does not publish that key' }
      : { ok: false, code: 'KEY_UNAVAILABLE', why: 'its keys could not be fetched' };
  }
  if (stored.old && purpose === 'request') {
    return {
      ok: false,
      code: 'KEY_EXPIRED',
      why: `the key is in old_verify_keys (expired ${iso(stored.until)}): old keys sign events, never requests`,
    };
  }
  if (validAtTs > stored.until)
    return {
      ok: false,
      code: 'KEY_EXPIRED',
      why: `the key was valid until ${iso(stored.until)}, not at ${iso(validAtTs)}`,
    };
  const publicKey = decodeBase64(stored.key);
  if (publicKey === null || publicKey.length !== ED25519_KEY_BYTES)
    return { ok: false, code: 'KEY_UNAVAILABLE', why: 'the cached key is damaged' };
  return { ok: true, publicKey, validUntilTs: stored.until, old: stored.old, from: stored.from, at: stored.at };
}

function describeFailure(
  result: Extract<Evaluation, { ok: false }>,
  record: KeyRecord,
  serverName: string,
  keyId: string,
): VerifyKeyLookup {
  const errors = result.code === 'KEY_UNAVAILABLE' && record.errors.length > 0 ? ` (${record.errors.join('; ')})` : '';
  return { ok: false, code: result.code, message: `${keyId} of ${serverName}: ${result.why}${errors}` };
}

function toStored(key: ServerVerifyKey, from: 'server' | 'notary', at: number): StoredKey {
  return { key: encodeUnpaddedBase64(key.publicKey), until: key.validUntilTs, old: key.old, from, at };
}

function mergeKey(into: Map<string, ServerVerifyKey>, id: string, key: ServerVerifyKey): void {
  const existing = into.get(id);
  if (existing === undefined || key.validUntilTs > existing.validUntilTs) into.set(id, key);
}

/** A stored record, or undefined when there is none or it is not one of ours (a shared store may hold anything). */
function decodeRecord(text: string | undefined): KeyRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (
      !isJsonObject(value) ||
      value['v'] !== 1 ||
      typeof value['attemptedAt'] !== 'number' ||
      !isJsonObject(value['keys'])
    )
      return undefined;
    const keys: Record<string, StoredKey> = {};
    for (const [id, entry] of Object.entries(value['keys'])) {
      if (!isJsonObject(entry) || typeof entry['key'] !== 'string' || typeof entry['until'] !== 'number') continue;
      keys[id] = {
        key: entry['key'],
        until: entry['until'],
        old: entry['old'] === true,
        from: entry['from'] === 'notary' ? 'notary' : 'server',
        at: typeof entry['at'] === 'number' ? entry['at'] : 0,
      };
    }
    const errors = Array.isArray(value['errors'])
      ? value['errors'].filter((e): e is string => typeof e === 'string')
      : [];
    return { v: 1, attemptedAt: value['attemptedAt'], answered: value['answered'] === true, keys, errors };
  } catch {
    return undefined;
  }
}

function checkNotaries(value: unknown): NotaryServer[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw invalidOption('notaryServers', 'an array of server names or { serverName, verifyKeys? }', value);
  return value.map((entry: unknown, i) => {
    const notary: NotaryServer =
      typeof entry === 'string' ? { serverName: entry } : optionsObject<NotaryServer>(`notaryServers[${i}]`, entry);
    if (typeof notary.serverName !== 'string' || !parseServerName(notary.serverName).ok) {
      throw invalidOption(`notaryServers[${i}].serverName`, 'a server name', notary.serverName);
    }
    if (notary.verifyKeys !== undefined) {
      const keys = optionsObject<Record<string, unknown>>(`notaryServers[${i}].verifyKeys`, notary.verifyKeys);
      for (const [id, key] of Object.entries(keys)) {
        const bytes = typeof key === 'string' ? decodeBase64(key, { allowUrlSafe: true }) : null;
        if (bytes === null || bytes.length !== ED25519_KEY_BYTES)
          throw invalidOption(
            `notaryServers[${i}].verifyKeys[${JSON.stringify(id)}]`,
            'a 32-byte ed25519 key in base64',
            key,
          );
      }
    }
    return notary;
  });
}

/** An object with the given methods (the client, the store), or INVALID_ARGUMENT naming the option. */
function withMethods<T>(option: string, value: unknown, methods: readonly string[], words: string): T {
  const fits =
    typeof value === 'object' &&
    value !== null &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
  if (!fits) throw invalidOption(option, words, value);
  return value as T;
}

function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
