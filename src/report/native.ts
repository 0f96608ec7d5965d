// Renders a check report as the native JSON document (schema "matrix-delegation/check/v1"), documented in docs/check-report.md.

import type {
  AddressReport,
  AddressRetries,
  AnswerHeaders,
  BaseUrlCheck,
  BrowserRetry,
  CertificateSummary,
  CheckProblem,
  CheckReport,
  ClientDocumentReport,
  ClientSettingsReport,
  EncodedPathProbe,
  KeysReport,
  ProbeReport,
  SrvMistakeProbe,
  SupportDocumentReport,
  TargetHttpsProbe,
  TlsReport,
  VersionReport,
} from '../check-report/index.js';
import type { ResolvedTarget } from '../resolver/types.js';
import { resolveJson, targetJson } from './resolution.js';
import type { ResolveJson, TargetJson } from './resolution.js';

/**
 * The `schema` field of every native document. A consumer checks it before reading: fields are only ever added
 * within `v1`; renaming, removing or changing the meaning of one makes `v2`.
 */
export const NATIVE_SCHEMA = 'matrix-delegation/check/v1';

// The native document is the report model (src/check-report/) as JSON: its types are the model's, except where
// JSON needs another shape (the resolution as `resolve --json --trace` prints it, each target with it) and the schema.
// The converters below still copy field by field: that fixes the order of the keys in the output (the contract of
// docs/check-report.md), keeps anything outside the model out of it, and makes numbers and opaque parts JSON-safe.

/** A target with where its address came from (the SRV record, or the host whose A/AAAA records gave it). */
export type NativeTargetJson = TargetJson & Pick<ResolvedTarget, 'addressOf' | 'srv'>;

/** One certificate of the chain, leaf first. */
export type NativeCertificateJson = CertificateSummary;

/** The TLS handshake with one address. */
export type NativeTlsJson = TlsReport;

/** `GET /_matrix/federation/v1/version` on one address. */
export type NativeVersionJson = VersionReport;

/** `GET /_matrix/key/v2/server` on one address; `raw` is the response body as the server sent it (parsed JSON), or null. */
export type NativeKeysJson = KeysReport;

/** Everything checked on one address. */
export type NativeAddressJson = Omit<AddressReport, 'target'> & { readonly target: NativeTargetJson };

/** A base URL check of the client document. */
export type NativeBaseUrlJson = BaseUrlCheck;

/** The `/.well-known/matrix/client` check. */
export type NativeClientJson = ClientDocumentReport;

/** The `/.well-known/matrix/support` check. */
export type NativeSupportJson = SupportDocumentReport;

/**
 * The native JSON document of one check (see docs/check-report.md, field by field): the report with its `schema`, and
 * its resolution as `resolve --json --trace` prints it.
 */
export type NativeCheckJson = { readonly schema: typeof NATIVE_SCHEMA } & Omit<
  CheckReport,
  'resolution' | 'addresses'
> & {
    readonly resolution: ResolveJson;
    readonly addresses: readonly NativeAddressJson[];
  };

/** A batch line for a name whose check did not produce a report (it overran its time budget, or failed). */
export interface NativeCheckErrorJson {
  readonly schema: typeof NATIVE_SCHEMA;
  readonly serverName: string;
  readonly federationOk: false;
  readonly error: { readonly code: string; readonly message: string };
  readonly durationMs: number;
}

/**
 * Converts a check report to the native JSON document: the report's facts under stable names, the resolution
 * as `resolve --json --trace` shows it, whole milliseconds, and nothing JSON cannot carry (no `undefined`, no
 * raw bytes, no non-finite numbers). `JSON.stringify` of the result is the `check --json` output.
 *
 * @example
 * ```ts
 * const doc = toNativeJson(await checkServer('example.com'));
 * process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
 * ```
 */
export function toNativeJson(report: CheckReport): NativeCheckJson {
  return {
    schema: NATIVE_SCHEMA,
    serverName: report.serverName,
    checkedAt: report.checkedAt,
    durationMs: ms(report.durationMs),
    federationOk: report.federationOk,
    reachable: report.reachable,
    summary: report.summary,
    resolution: jsonSafe(resolveJson(report.resolution, true)) as ResolveJson,
    wellKnownByAddress: report.wellKnownByAddress.map((w) => ({
      ip: w.ip,
      family: w.family,
      status: w.status,
      mServer: w.mServer,
      code: w.code,
      detail: w.detail,
    })),
    addresses: report.addresses.map(addressJson),
    version: { name: report.version.name, version: report.version.version, error: report.version.error },
    client: report.client === null ? null : clientJson(report.client),
    support: report.support === null ? null : supportJson(report.support),
    probes: probesJson(report.probes),
    hints: report.hints.map((h) => ({
      id: h.id,
      severity: h.severity,
      area: h.area,
      title: h.title,
      detail: h.detail,
      fix: h.fix,
    })),
  };
}

/**
 * The batch line of a name whose check produced no report: `code` is `TIMEOUT` when it overran its budget.
 *
 * @example
 * ```ts
 * toNativeErrorJson('example.com', { code: 'TIMEOUT', message: 'no result within 5000 ms' }, 5000);
 * ```
 */
export function toNativeErrorJson(
  serverName: string,
  error: { readonly code: string; readonly message: string },
  durationMs: number,
): NativeCheckErrorJson {
  return {
    schema: NATIVE_SCHEMA,
    serverName,
    federationOk: false,
    error: { code: error.code, message: error.message },
    durationMs: ms(durationMs),
  };
}

function problem(p: CheckProblem | null): CheckProblem | null {
  return p === null ? null : { code: p.code, message: p.message };
}

function addressJson(a: AddressReport): NativeAddressJson {
  const t = a.target;
  return {
    address: a.address,
    family: a.family,
    ok: a.ok,
    target: {
      ...targetJson(t),
      addressOf: t.addressOf,
      srv:
        t.srv === null
          ? null
          : { name: t.srv.name, priority: t.srv.priority, weight: t.srv.weight, target: t.srv.target },
    },
    connectionError: problem(a.connectionError),
    tls:
      a.tls === null
        ? null
        : {
            protocol: a.tls.protocol,
            cipher: a.tls.cipher,
            trusted: a.tls.trusted,
            trustError: problem(a.tls.trustError),
            nameMatches: a.tls.nameMatches,
            nameError: problem(a.tls.nameError),
            expiresInDays: finiteOrNull(a.tls.expiresInDays),
            chain: a.tls.chain.map(certificateJson),
            durationMs: ms(a.tls.durationMs),
          },
    version:
      a.version === null
        ? null
        : {
            ok: a.version.ok,
            httpStatus: a.version.httpStatus,
            name: a.version.name,
            version: a.version.version,
            contentType: a.version.contentType,
            error: problem(a.version.error),
            durationMs: ms(a.version.durationMs),
            answer: jsonSafe(a.version.answer ?? null) as AnswerHeaders | null,
          },
    keys:
      a.keys === null
        ? null
        : {
            ok: a.keys.ok,
            httpStatus: a.keys.httpStatus,
            serverName: a.keys.serverName,
            matchingServerName: a.keys.matchingServerName,
            validUntilTs: finiteOrNull(a.keys.validUntilTs),
            futureValidUntilTs: a.keys.futureValidUntilTs,
            hasEd25519Key: a.keys.hasEd25519Key,
            allEd25519ChecksOk: a.keys.allEd25519ChecksOk,
            ed25519Checks: Object.fromEntries(
              Object.entries(a.keys.ed25519Checks).map(([id, c]) => [
                id,
                { ValidEd25519: c.ValidEd25519, MatchingSignature: c.MatchingSignature },
              ]),
            ),
            verifyKeys: { ...a.keys.verifyKeys },
            problems: a.keys.problems.map((p) => ({ code: p.code, message: p.message })),
            raw: a.keys.raw === undefined ? null : jsonSafe(a.keys.raw),
            durationMs: ms(a.keys.durationMs),
            answer: jsonSafe(a.keys.answer ?? null) as AnswerHeaders | null,
          },
    retries: jsonSafe(a.retries ?? null) as AddressRetries | null,
  };
}

function certificateJson(c: CertificateSummary): NativeCertificateJson {
  return {
    subjectCommonName: c.subjectCommonName,
    issuerCommonName: c.issuerCommonName,
    sha256Fingerprint: c.sha256Fingerprint,
    dnsNames: [...c.dnsNames],
    ipAddresses: [...c.ipAddresses],
    validFrom: c.validFrom,
    validTo: c.validTo,
    selfSigned: c.selfSigned,
  };
}

function baseUrlJson(b: BaseUrlCheck): NativeBaseUrlJson {
  return {
    baseUrl: b.baseUrl,
    url: b.url,
    httpStatus: b.httpStatus,
    error: b.error === null ? null : { code: b.error.code, message: b.error.message, cause: b.error.cause },
  };
}

function clientJson(c: ClientDocumentReport): NativeClientJson {
  return {
    status: c.status,
    url: c.url,
    httpStatus: c.httpStatus,
    contentType: c.contentType,
    cacheControl: c.cacheControl,
    hasBom: c.hasBom,
    htmlBody: c.htmlBody,
    cors: {
      get: c.cors.get === null ? null : [...c.cors.get],
      preflight: {
        status: c.cors.preflight.status,
        missing: c.cors.preflight.missing === null ? null : [...c.cors.preflight.missing],
        error:
          c.cors.preflight.error === null
            ? null
            : { code: c.cors.preflight.error.code, message: c.cors.preflight.error.message },
      },
    },
    homeserver:
      c.homeserver === null
        ? null
        : {
            ...baseUrlJson(c.homeserver),
            versions: c.homeserver.versions === null ? null : [...c.homeserver.versions],
          },
    identityServer: c.identityServer === null ? null : baseUrlJson(c.identityServer),
    extras: [...c.extras],
    settings: jsonSafe(c.settings ?? null) as ClientSettingsReport | null,
    problems: c.problems.map((p) => ({ code: p.code, severity: p.severity, message: p.message, cause: p.cause })),
    durationMs: ms(c.durationMs),
  };
}

function supportJson(s: SupportDocumentReport): NativeSupportJson {
  return {
    status: s.status,
    url: s.url,
    httpStatus: s.httpStatus,
    contentType: s.contentType,
    cors: s.cors === null ? null : [...s.cors],
    contacts: s.contacts.map((c) => ({
      index: c.index,
      role: c.role,
      matrixId: c.matrixId,
      emailAddress: c.emailAddress,
      valid: c.valid,
    })),
    supportPage: s.supportPage,
    problems: s.problems.map((p) => ({ code: p.code, severity: p.severity, message: p.message, cause: p.cause })),
    durationMs: ms(s.durationMs),
  };
}

/** The probes, each part copied JSON-safe (their shape belongs to `probes.ts`; missing parts read as empty). */
function probesJson(p: ProbeReport | undefined): ProbeReport {
  return {
    srv: jsonSafe(p?.srv ?? []) as ProbeReport['srv'],
    httpsPort: jsonSafe(p?.httpsPort ?? null) as ProbeReport['httpsPort'],
    wellKnownElsewhere: jsonSafe(p?.wellKnownElsewhere ?? []) as ProbeReport['wellKnownElsewhere'],
    wellKnownBody: jsonSafe(p?.wellKnownBody ?? null) as ProbeReport['wellKnownBody'],
    targetHttps: jsonSafe(p?.targetHttps ?? []) as readonly TargetHttpsProbe[],
    wellKnownBrowserRetry: jsonSafe(p?.wellKnownBrowserRetry ?? null) as BrowserRetry | null,
    srvMistakes: jsonSafe(p?.srvMistakes ?? []) as readonly SrvMistakeProbe[],
    encodedPath: jsonSafe(p?.encodedPath ?? null) as EncodedPathProbe | null,
  };
}

/** Whole milliseconds (durations are measured with sub-millisecond noise that means nothing to a reader). */
function ms(value: number): number {
  return Number.isFinite(value) ? Math.round(value) : 0;
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

/**
 * A deep copy of `value` that JSON carries faithfully: `undefined` members are dropped (array slots become null),
 * bytes become unpadded standard base64, non-finite numbers null, big integers strings, dates ISO strings, and a
 * repeated reference to an object being copied (a cycle) null. Used on the parts whose shape is open: the trace's
 * `data` and the raw key response.
 */
export function jsonSafe(value: unknown): unknown {
  return copy(value, new WeakSet<object>());
}

function copy(value: unknown, ancestors: WeakSet<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64').replace(/=+$/, '');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (ancestors.has(value)) return null;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => copy(item, ancestors) ?? null);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const copied = copy(item, ancestors);
      if (copied !== undefined) out[key] = copied;
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}
