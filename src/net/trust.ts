// The trust store: the system's CAs plus extra CAs from options or NODE_EXTRA_CA_CERTS.

import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { readFileSync, statSync } from 'node:fs';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { SecureContext } from 'node:tls';
import { MatrixDelegationError } from '../errors.js';
import { MAX_PEM_FILE_BYTES, readRegularFileSync } from './regular-file.js';

/**
 * The CA list to pass as `tls.connect({ ca })`, or undefined to use Node's defaults.
 *
 * Passing `ca` replaces Node's default trust (including NODE_EXTRA_CA_CERTS), so when extra CAs are given the
 * list is rebuilt from `tls.rootCertificates`, the file NODE_EXTRA_CA_CERTS names, and the extras.
 *
 * The same inputs (the same extra PEMs, the same NODE_EXTRA_CA_CERTS file, unchanged on disk) give the same list
 * object, even when the caller passes a fresh array each time: {@link secureContextFor} then finds its context by
 * identity, without reading the file again or hashing ~300 root PEMs (together over a millisecond per call). The same
 * array passed again within a second gets its list without even a `stat` of the file (a check passes one array to all
 * its connections): an edited NODE_EXTRA_CA_CERTS file is seen within a second then.
 */
export function buildTrustedCas(
  extra: readonly string[] | undefined,
  env: NodeJS.ProcessEnv = process.env,
): readonly string[] | undefined {
  if (extra === undefined || extra.length === 0) return undefined;
  const extraFile = env['NODE_EXTRA_CA_CERTS'];
  const now = performance.now();
  const recent = recentLists.get(extra);
  if (
    recent !== undefined &&
    recent.extraFile === extraFile &&
    now - recent.at < RECHECK_EXTRA_FILE_MS &&
    sameStrings(recent.extras, extra)
  )
    return recent.list;
  const list = buildList(extra, extraFile);
  recentLists.set(extra, { extras: [...extra], extraFile, list, at: now });
  return list;
}

/**
 * The list last built for an extras array, by that array (with a copy of its content: a caller may change its array),
 * the NODE_EXTRA_CA_CERTS path it was built with, and when. A check passes one array to every connection and fetch it
 * makes: within {@link RECHECK_EXTRA_FILE_MS} they get the list without a `stat` of the file each (a tenth of the cost
 * of a connection refused on loopback).
 */
const recentLists = new WeakMap<
  readonly string[],
  {
    readonly extras: readonly string[];
    readonly extraFile: string | undefined;
    readonly list: readonly string[];
    readonly at: number;
  }
>();

/**
 * How long the list built for an extras array is given again without looking at the NODE_EXTRA_CA_CERTS file, in
 * milliseconds: an edited file is seen within this long (Node itself reads the file once, at start).
 */
const RECHECK_EXTRA_FILE_MS = 1_000;

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** {@link buildTrustedCas} without the per-array memo: the file's stat, then the list by content. */
function buildList(extra: readonly string[], extraFile: string | undefined): readonly string[] {
  const file = extraFile ? readExtraCaFile(extraFile) : null;
  // The file's stat signature is in the key, so an edited file gives a new list, as reading it every time would.
  const key = `${extraFile ?? ''}\0${file?.signature ?? ''}\0${extra.join('\0')}`;
  const known = builtLists.get(key);
  if (known !== undefined) return known;
  const list = [...rootCertificates];
  if (file !== null && file.text !== '') list.push(file.text);
  list.push(...extra);
  if (builtLists.size >= MAX_CONTEXTS) {
    const oldest = builtLists.keys().next();
    if (oldest.done !== true) builtLists.delete(oldest.value);
  }
  Object.freeze(list);
  builtLists.set(key, list);
  return list;
}

/** Lists built by {@link buildTrustedCas}, by content (see there). */
const builtLists = new Map<string, readonly string[]>();

/** The NODE_EXTRA_CA_CERTS file as last read, by path, with the stat signature it had then. */
const extraCaFiles = new Map<string, { readonly signature: string; readonly text: string }>();

/**
 * The text of the NODE_EXTRA_CA_CERTS file, or null when it cannot be read. A `stat` (microseconds) tells whether
 * it changed; it is read again only then (reading and decoding a 200 KB system bundle costs most of a millisecond).
 */
function readExtraCaFile(path: string): { readonly signature: string; readonly text: string } | null {
  let signature: string;
  try {
    const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
    if (stat === undefined) return null;
    signature = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return null;
  }
  const known = extraCaFiles.get(path);
  if (known !== undefined && known.signature === signature) return known;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // Node itself only warns when the file is unreadable; do the same by ignoring it.
    return null;
  }
  const entry = { signature, text: certificatesNotAmongRoots(text) };
  if (extraCaFiles.size >= MAX_CONTEXTS) extraCaFiles.clear();
  extraCaFiles.set(path, entry);
  return entry;
}

/** A PEM certificate's base64 body without line breaks or spaces: the same certificate, whatever its layout. */
function pemBody(block: string): string {
  return block.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
}

/** Node's roots by {@link pemBody}, built on first use. */
let rootBodies: ReadonlySet<string> | undefined;

/**
 * The certificates of a PEM bundle that are not among Node's own roots, as one PEM text. NODE_EXTRA_CA_CERTS often
 * names the system's whole bundle (`/etc/ssl/certs/ca-certificates.crt`), which repeats most of Node's roots: parsing
 * them again for every TLS context costs about 25 ms (about 140 certificates) and trusts nothing more. Text outside
 * certificate blocks is dropped, as OpenSSL ignores it.
 */
export function certificatesNotAmongRoots(bundle: string): string {
  const roots = trustedCertificates(undefined);
  return certificateBlocks(bundle)
    .filter((block) => !roots.has(pemBody(block)))
    .map((block) => `${block}\n`)
    .join('');
}

/** Reads a PEM file of CA certificates (for `--ca-file`), with an error that names the file. */
export function readCaFile(path: string): string {
  let text: string;
  try {
    // A regular file of at most 1 MiB: a FIFO or /dev/zero given by mistake must not hang or fill the process.
    text = readRegularFileSync(path, { maxBytes: MAX_PEM_FILE_BYTES });
  } catch (cause) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `cannot read the CA file ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `the CA file ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  }
  return text;
}

/**
 * What is kept per trust list, each part built on first use: its TLS context (parsing Node's ~150 root PEMs takes
 * tens of milliseconds, too long for every connection) and its certificates (for `probeTls`, which tells the
 * certificates Node appended from the trust store apart from those the server sent). The one trust-list cache.
 */
interface TrustEntry {
  context?: SecureContext;
  certificates?: ReadonlySet<string>;
}
/** Entries by {@link trustListKey}, the oldest dropped past MAX_CONTEXTS. */
const entries = new Map<string, TrustEntry>();
/** The same, by list identity: callers keep their list, so most look-ups skip hashing it. */
const entriesByList = new WeakMap<readonly string[], TrustEntry>();
const MAX_CONTEXTS = 16;

/** The cache entry of a trust list, found by identity, then by content; made when there is none. */
function trustEntry(list: readonly string[]): TrustEntry {
  const known = entriesByList.get(list);
  if (known !== undefined) return known;
  const key = trustListKey(list);
  let entry = entries.get(key);
  if (entry === undefined) {
    entry = {};
    if (entries.size >= MAX_CONTEXTS) {
      const oldest = entries.keys().next();
      if (oldest.done !== true) entries.delete(oldest.value);
    }
    entries.set(key, entry);
  }
  entriesByList.set(list, entry);
  return entry;
}

/**
 * A TLS context trusting `list`. A list that starts with Node's own roots (every list {@link buildTrustedCas} makes)
 * is built from Node's root store, already parsed in C++, plus the PEMs after the roots: about 1.5 ms, where handing
 * the whole list to `createSecureContext({ ca })` parses the ~150 root PEMs again, about 25 ms, which a one-shot
 * command pays before its first connection (BENCHMARKS.md, resolve-latency --cli). Node copies its root store
 * (with NODE_EXTRA_CA_CERTS) into a store of the context's own on the first `addCACert`, so the trust is the same.
 */
function createContextTrusting(list: readonly string[]): SecureContext {
  const roots = rootCertificates;
  const native = (createSecureContext as (options?: object) => SecureContext & { context?: { addCACert?: unknown } })();
  const startsWithRoots = list.length >= roots.length && roots.every((root, i) => list[i] === root);
  if (!startsWithRoots || typeof native.context?.addCACert !== 'function')
    return createSecureContext({ ca: [...list] });
  const addCACert = native.context.addCACert as (this: unknown, pem: string) => void;
  for (const pem of list.slice(roots.length)) addCACert.call(native.context, pem);
  return native;
}

/** A stable key for a CA list (SHA-256 over its PEMs). */
export function trustListKey(list: readonly string[]): string {
  const hash = createHash('sha256');
  for (const pem of list) hash.update(pem).update('\0');
  return hash.digest('hex');
}

/**
 * The TLS context trusting exactly `list` (the output of {@link buildTrustedCas}), cached, or undefined for
 * Node's default trust store. Every TLS connection of the project goes through this, so the roots are parsed
 * once per CA list, not once per connection.
 */
export function secureContextFor(list: readonly string[] | undefined): SecureContext | undefined {
  if (list === undefined) return undefined;
  const entry = trustEntry(list);
  return (entry.context ??= createContextTrusting(list));
}

/**
 * The certificates `list` trusts (the output of {@link buildTrustedCas}; undefined for Node's own roots), each as its
 * DER in standard base64 (a PEM body without its line breaks: compare `certificate.raw.toString('base64')`), cached
 * with the list's TLS context.
 *
 * @example
 * ```ts
 * const fromStore = trustedCertificates(buildTrustedCas(ca)).has(peer.raw.toString('base64'));
 * ```
 */
export function trustedCertificates(list: readonly string[] | undefined): ReadonlySet<string> {
  if (list === undefined) return (rootBodies ??= new Set(rootCertificates.map(pemBody)));
  const entry = trustEntry(list);
  return (entry.certificates ??= new Set(list.flatMap((pem) => certificateBlocks(pem).map(pemBody))));
}

/** The certificate blocks of a PEM text (one entry of a trust list may be a whole bundle). */
function certificateBlocks(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** The identity of Node's default trust store, for {@link trustIdentity}. */
const DEFAULT_TRUST: object = Object.freeze({ trust: "Node's default roots" });

/**
 * An object that stands for the trust store `list` (the output of {@link buildTrustedCas}) by identity: the same for
 * every connection verified against the same trust, so that a verified connection can be told fit for another request
 * that needs that trust (a check's connections, shared by its requests). Its TLS context, or one constant for Node's
 * default roots.
 *
 * @example
 * ```ts
 * trustIdentity(buildTrustedCas(ca)) === trustIdentity(buildTrustedCas([...ca])); // true: the same list, by content
 * ```
 */
export function trustIdentity(list: readonly string[] | undefined): object {
  return secureContextFor(list) ?? DEFAULT_TRUST;
}
