// One store entry per DNS name, holding every cached answer about it (A, AAAA, SRV, well-known) as compact fields.

import type { CacheStore } from './types.js';

/**
 * A field as stored: `keepUntil` (when the field may be dropped: its validity plus any stale window) and its
 * encoded value. Times inside values are stored relative to the record's base time, which keeps entries short.
 */
export interface NameRecordField {
  readonly keepUntil: number;
  /** The encoded value (JSON-compatible); decode its times with the record's `base`. */
  readonly value: readonly unknown[];
}

/** A decoded record: the base time of its relative times, and its fields by name. */
export interface NameRecord {
  readonly base: number;
  readonly fields: ReadonlyMap<string, NameRecordField>;
}

/** Reads and updates per-name records in a {@link CacheStore}. */
export interface NameRecordStore {
  /** The record of `name` (lowercase, no trailing dot), or undefined. Store and decoding faults read as a miss. */
  read(name: string): Promise<NameRecord | undefined>;
  /**
   * Sets one field of `name`'s record, keeping its other fields (those whose `keepUntil` has not passed).
   * `encode` gets the record's base time to make its times relative. Updates of one name are serialised in this
   * process; two processes updating one name at the same instant through Redis may lose one field (a later miss).
   */
  update(name: string, field: string, keepUntil: number, encode: (base: number) => readonly unknown[], now: number): Promise<void>;
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
 * well-known answers of a host.
 */
export function createNameRecordStore(store: CacheStore): NameRecordStore {
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

  async function write(name: string, base: number, fields: Map<string, NameRecordField>, now: number): Promise<void> {
    let keepUntil = 0;
    for (const f of fields.values()) keepUntil = Math.max(keepUntil, f.keepUntil);
    try {
      if (fields.size === 0 || keepUntil <= now) await store.delete(PREFIX + name);
      else await store.set(PREFIX + name, encode(base, fields), keepUntil - now);
    } catch {
      // A store that cannot keep the entry: the next lookup is a miss, nothing worse.
    }
  }

  return {
    read,
    update(name, field, keepUntil, encodeValue, now) {
      return serialised(name, async () => {
        const current = await read(name);
        const fields = new Map<string, NameRecordField>();
        let base = now;
        if (current !== undefined) {
          for (const [key, value] of current.fields) if (key !== field && value.keepUntil > now) fields.set(key, value);
          // Keep the old base while its fields live (their relative times depend on it).
          if (fields.size > 0) base = current.base;
        }
        fields.set(field, { keepUntil, value: encodeValue(base) });
        await write(name, base, fields, now);
      });
    },
    remove(name, field, now) {
      return serialised(name, async () => {
        const current = await read(name);
        if (current === undefined || !current.fields.has(field)) return;
        const fields = new Map([...current.fields].filter(([key, value]) => key !== field && value.keepUntil > now));
        await write(name, current.base, fields, now);
      });
    },
  };
}

/** `{"b":base,"<field>":[keepUntil-base, ...value]}` */
function encode(base: number, fields: ReadonlyMap<string, NameRecordField>): string {
  const out: Record<string, unknown> = { b: base };
  for (const [name, field] of fields) out[name] = [Math.round(field.keepUntil - base), ...field.value];
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
  const fields = new Map<string, NameRecordField>();
  // for...in rather than rest destructuring: this runs on every cached lookup, and is several times faster.
  for (const name in record) {
    const raw = record[name];
    if (name === 'b' || !Array.isArray(raw) || typeof raw[0] !== 'number') continue;
    fields.set(name, { keepUntil: base + raw[0], value: raw.slice(1) as unknown[] });
  }
  return { base, fields };
}
