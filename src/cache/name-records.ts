// One store entry per DNS name, holding every cached answer about it (A, AAAA, SRV, well-known) as compact fields.

import type { CacheStore } from './types.js';

/** A decoded record: the base time of its relative times, until when it is kept, and its encoded fields. */
export interface NameRecord {
  /** Times inside field values are stored relative to this (ms since the epoch), which keeps entries short. */
  readonly base: number;
  /** When the whole record may be dropped (its longest-lived field's validity plus any stale window). */
  readonly keepUntil: number;
  /** Encoded field values (JSON-compatible arrays) by field name; decode their times with `base`. */
  readonly fields: ReadonlyMap<string, readonly unknown[]>;
}

/** Reads and updates per-name records in a {@link CacheStore}. */
export interface NameRecordStore {
  /** The record of `name` (lowercase, no trailing dot), or undefined. Store and decoding faults read as a miss. */
  read(name: string): Promise<NameRecord | undefined>;
  /**
   * Sets one field of `name`'s record, keeping the others; the record is then kept at least until `keepUntil`.
   * `encode` gets the record's base time to make its times relative. Updates of one name are serialised in this
   * process; two processes updating one name at the same instant through Redis may lose one field (a later miss).
   * Fields are not dropped one by one: each consumer checks its own field's validity, and a field is replaced by
   * the next answer to the same question, so a record holds at most one field per question.
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

  async function write(name: string, record: NameRecord, now: number): Promise<void> {
    try {
      if (record.fields.size === 0 || record.keepUntil <= now) await store.delete(PREFIX + name);
      else await store.set(PREFIX + name, encode(record), record.keepUntil - now);
    } catch {
      // A store that cannot keep the entry: the next lookup is a miss, nothing worse.
    }
  }

  return {
    read,
    update(name, field, keepUntil, encodeValue, now) {
      return serialised(name, async () => {
        const current = await read(name);
        const alive = current !== undefined && current.keepUntil > now;
        // Keep the old base while the record lives (its fields' relative times depend on it).
        const base = alive ? current.base : Math.round(now);
        const fields = new Map(alive ? current.fields : []);
        fields.set(field, encodeValue(base));
        await write(name, { base, keepUntil: Math.max(keepUntil, alive ? current.keepUntil : 0), fields }, now);
      });
    },
    remove(name, field, now) {
      return serialised(name, async () => {
        const current = await read(name);
        if (current === undefined || !current.fields.has(field)) return;
        const fields = new Map(current.fields);
        fields.delete(field);
        await write(name, { ...current, fields }, now);
      });
    },
  };
}

/** `{"b":base,"k":keepUntil-base,"<field>":[...value]}` */
function encode(record: NameRecord): string {
  const out: Record<string, unknown> = { b: record.base, k: Math.round(record.keepUntil - record.base) };
  for (const [name, value] of record.fields) out[name] = value;
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
  const keep = record['k'];
  if (typeof base !== 'number' || typeof keep !== 'number') return undefined;
  const fields = new Map<string, readonly unknown[]>();
  // for...in rather than rest destructuring: this runs on every cached lookup, and is several times faster.
  for (const name in record) {
    const raw = record[name];
    if (name !== 'b' && name !== 'k' && Array.isArray(raw)) fields.set(name, raw as unknown[]);
  }
  return { base, keepUntil: base + keep, fields };
}
