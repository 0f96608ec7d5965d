// Type guards over the resolver's trace: which entries are SRV lookups and which are address lookups, with their data.

import type { AddressFacts, SrvFacts, StepTraceEntry, TraceEntry } from './types.js';

/** The entry of an SRV lookup that had records (`query` is the SRV name). */
export type SrvTraceEntry = StepTraceEntry & { readonly data: SrvFacts };

/** The entry of an AAAA and A lookup of a host (`query` is the host). */
export type AddressTraceEntry = StepTraceEntry & { readonly data: AddressFacts };

/**
 * True for the entry of an SRV lookup that had records (taken, or failed as "explicitly unavailable"); an SRV
 * lookup without records has no `data`.
 *
 * @example
 * ```ts
 * const targets = result.trace.filter(isSrvLookup).flatMap((e) => e.data.records.map((r) => r.target));
 * ```
 */
export function isSrvLookup(entry: TraceEntry): entry is SrvTraceEntry {
  return entry.data !== undefined && 'records' in entry.data;
}

/**
 * True for the entry of an AAAA and A lookup (steps 2, 3.2 to 3.5, 4 to 6), found or not.
 *
 * @example
 * ```ts
 * for (const e of result.trace.filter(isAddressLookup)) console.log(e.query, e.data.addresses);
 * ```
 */
export function isAddressLookup(entry: TraceEntry): entry is AddressTraceEntry {
  return entry.data !== undefined && 'addresses' in entry.data;
}
