// One store entry per DNS name, holding every cached answer about it (A, AAAA, SRV, well-known) as compact fields.

import type { CacheStore } from './types.js';

/** A decoded record: the base time of its relative times, and its encoded fields. */
export interface NameRecord {
  /** Times inside field values are stored relative to this (ms since the epoch), which keeps entries short. */
  readonly base: number;
  /** Encoded field values (JSON-compatible arrays) by field name; decode their times with `base`. */
  readonly fields: ReadonlyMap<string, readonly unknown[]>;
}

/**
 * Until when a field must be kept (its validity plus any stale window), read from its encoded value: the record
 * layer asks it instead of storing a time per field, which would lengthen every entry.
 */
export type FieldKeepUntil = (field: string, value: readonly unknown[], base: number) => number;

/** Reads and updates per-name records in a {@link CacheStore}. */
export interface NameRecordStore {
  /** The record of `name` (lowercase, no trailing dot), or undefined. Store and decoding faults read as a miss. */
  read(name: string): Promise<NameRecord | undefined>;
  /**
   * Sets one field of `name`'s record, keeping the others that are still to be kept (see {@link FieldKeepUntil});
   * the entry lives as long as its longest-kept field. `encode` gets the record's base time to make its times
   * relative. Updates of one name are serialised in this process; two processes updating one name at the same
   * instant through Redis may lose one field (a later miss, nothing worse).
   */
  update(name: string, field: string, encode: (base: number) => readonly unknown[], now: number): Promise<void>;
  /** Drops one field (or the record when it was the last). */
  remove(name: string, field: string, now: number): Promise<void>;
}

/** Key prefix of name records in the store. */
const PREFIX = 'n:';
/** Decoded entries kept for reuse (a small working set: cleared when full). */
const DECODED_KEPT = 256;

/**
 * Creates the per-name record layer over `store`. One entry per name instead of one per question roughly halves
 * the memory of a cached resolution: an entry's fixed cost (LRU slots, key) is paid once for the A, AAAA, SRV and
 * well-known answers of a host. `keepUntil` tells how long each field must be kept.
 */
export function createNameRecordStore(store: CacheStore, keepUntil: FieldKeepUntil): NameRecordStore {
  const locks = new Map<string, Promise<void>>();
  // The last decoding of recently read entries: one resolution reads a host's entry for each of its questions,
  // and an unchanged entry (the same text) need not be parsed again.
  const decoded = new Map<string, { readonly text: string; readonly record: NameRecord | undefined }>();

  async function read(name: string): Promise<NameRecord | undefined> {
    let text: string | undefined;
    try {
      text = await store.get(PREFIX + name);
    } catch {
      return undefined;
    }
    if (text === undefined) return undefined;
    const last = decoded.get(name);
    if (last !== undefined && last.text === text) return last.record;
    const record = decode(text);
    if (decoded.size >= DECODED_KEPT) decoded.clear();
    decoded.set(name, { text, record });
    return record;
  }

  /** Runs `change` after every earlier change of the same key (read-modify-write must not interleave). */
  function serialised(name: string, change: () => Promise<void>): Promise<void> {
    const previous = locks.get(name) ?? Promise.resolve();
    const next = previous.then(change, change).catch(() => undefined);
    locks.set(name, next);
    void next.then(() => {
      if (locks.get(name) === next) locks.delete(name);
    });
    return next;
  }

  /** Stores the fields still to be kept, for as long as the longest-kept one needs. */
  async function write(
    name: string,
    base: number,
    fields: ReadonlyMap<string, readonly unknown[]>,
    now: number,
  ): Promise<void> {
    const kept = new Map<string, readonly unknown[]>();
    let until = 0;
    for (const [field, value] of fields) {
      const keep = keepUntil(field, value, base);
      if (keep > now) {
        kept.set(field, value);
        until = Math.max(until, keep);
      }
    }
    try {
      if (kept.size === 0) await store.delete(PREFIX + name);
      else await store.set(PREFIX + name, encode(base, kept), until - now);
    } catch {
      // A store that cannot keep the entry: the next lookup is a miss, nothing worse.
    }
  }

  return {
    read,
    update(name, field, encodeValue, now) {
      return serialised(name, async () => {
        const current = await read(name);
        // Keep the old base while the record lives (its fields' relative times depend on it).
        const base = current !== undefined ? current.base : Math.round(now);
        const fields = new Map(current?.fields ?? []);
        fields.set(field, encodeValue(base));
        await write(name, base, fields, now);
      });
    },
    remove(name, field, now) {
      return serialised(name, async () => {
        const current = await read(name);
        if (current === undefined || !current.fields.has(field)) return;
        const fields = new Map(current.fields);
        fields.delete(field);
        await write(name, current.base, fields, now);
      });
    },
  };
}

/** `{"b":base,"<field>":[...value]}` */
function encode(base: number, fields: ReadonlyMap<string, readonly unknown[]>): string {
  const out: Record<string, unknown> = { b: base };
  for (const [name, value] of fields) out[name] = value;
  return JSON.stringify(out);
}

function decode(text: string): NameRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const base = record['b'];
  if (typeof base !== 'number') return undefined;
  const fields = new Map<string, readonly unknown[]>();
  // for...in rather than rest destructuring: this runs on every cached lookup, and is several times faster.
  for (const name in record) {
    const raw = record[name];
    if (name !== 'b' && Array.isArray(raw)) fields.set(name, raw as unknown[]);
  }
  return { base, fields };
}
