// Renders a check report in matrix-federation-tester's JSON schema, field for field (ground-truth §5).

import type { CheckReport } from '../check-report/index.js';
import type { FederationTesterEd25519Checks } from './federation-tester-keys.js';
import type { TraceEntry } from '../resolver/types.js';
import { isAddressLookup, isSrvLookup } from '../resolver/trace-facts.js';

/** A Go `error` as the tester serialises it. */
export interface TesterError {
  readonly Message: string;
}

/** The tester's `DNSResult`. */
export interface TesterDnsResult {
  readonly SRVSkipped: boolean;
  readonly SRVCName: string;
  readonly SRVRecords: { Target: string; Port: number; Priority: number; Weight: number }[] | null;
  readonly SRVError: TesterError | null;
  readonly Hosts: Record<string, { CName: string; Addrs: string[]; Error: TesterError | null }>;
  readonly Addrs: string[] | null;
}

/** The tester's `ConnectionReports[addr]`. */
export interface TesterConnectionReport {
  readonly Certificates: {
    SubjectCommonName: string;
    IssuerCommonName: string;
    SHA256Fingerprint: string;
    DNSNames: string[] | null;
  }[];
  readonly Cipher: { Version: string; CipherSuite: string };
  readonly Checks: {
    AllChecksOK: boolean;
    MatchingServerName: boolean;
    FutureValidUntilTS: boolean;
    HasEd25519Key: boolean;
    AllEd25519ChecksOK: boolean | null;
    Ed25519Checks: Record<string, FederationTesterEd25519Checks>;
    ValidCertificates: boolean;
  };
  readonly Errors: TesterError[];
  readonly Ed25519VerifyKeys: Record<string, string> | null;
  readonly Info: Record<string, never>;
  readonly Keys: unknown;
}

/** The whole `/api/report` document. */
export interface FederationTesterReport {
  readonly FederationOK: boolean;
  readonly Error?: string;
  readonly WellKnownResult: { 'm.server': string; result?: string; CacheExpiresAt: number };
  readonly DNSResult: TesterDnsResult;
  readonly ConnectionReports: Record<string, TesterConnectionReport>;
  readonly ConnectionErrors: Record<string, TesterError>;
  readonly Version: { name?: string; version?: string; error?: string };
}

/** Go's names for TLS versions, as the tester prints them. */
const TLS_VERSION_NAMES: Readonly<Record<string, string>> = {
  'TLSv1.3': 'TLS 1.3',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.1': 'TLS 1.1',
  TLSv1: 'TLS 1.0',
};

/** Synapse's well-known cache lifetime bounds (ground-truth §2), used for `CacheExpiresAt`. */
const WELL_KNOWN_TTL = { defaultSeconds: 24 * 3600, minSeconds: 5 * 60, maxSeconds: 48 * 3600 } as const;

/**
 * Converts a native report to matrix-federation-tester's `/api/report` JSON, so that dashboards and scripts
 * written for it keep working. The verdict follows its rule (see `federationVerdict`).
 */
export function toFederationTesterReport(report: CheckReport): FederationTesterReport {
  const resolution = report.resolution;
  const invalid = resolution.error?.code === 'INVALID_SERVER_NAME';
  const connectionReports: Record<string, TesterConnectionReport> = {};
  const connectionErrors: Record<string, TesterError> = {};
  for (const a of report.addresses) {
    if (a.connectionError !== null || a.tls === null) {
      connectionErrors[a.address] = { Message: a.connectionError?.message ?? 'connection failed' };
      continue;
    }
    const keys = a.keys;
    const validCertificates = a.tls.trusted && a.tls.nameMatches;
    const hasKeyChecks = keys !== null && Object.keys(keys.ed25519Checks).length > 0;
    const errors: TesterError[] = [];
    if (a.tls.trustError) errors.push({ Message: a.tls.trustError.message });
    if (a.tls.nameError) errors.push({ Message: a.tls.nameError.message });
    for (const p of keys?.problems ?? []) errors.push({ Message: p.message });
    if (a.version && !a.version.ok && a.version.error) errors.push({ Message: a.version.error.message });
    connectionReports[a.address] = {
      Certificates: a.tls.chain.map((c) => ({
        SubjectCommonName: c.subjectCommonName,
        IssuerCommonName: c.issuerCommonName,
        SHA256Fingerprint: c.sha256Fingerprint,
        DNSNames: c.dnsNames.length > 0 ? [...c.dnsNames] : null,
      })),
      Cipher: {
        Version: TLS_VERSION_NAMES[a.tls.protocol ?? ''] ?? a.tls.protocol ?? '',
        CipherSuite: a.tls.cipher ?? '',
      },
      Checks: {
        AllChecksOK: (keys?.ok ?? false) && validCertificates,
        MatchingServerName: keys?.matchingServerName ?? false,
        FutureValidUntilTS: keys?.futureValidUntilTs ?? false,
        HasEd25519Key: keys?.hasEd25519Key ?? false,
        AllEd25519ChecksOK: hasKeyChecks ? (keys?.allEd25519ChecksOk ?? false) : null,
        Ed25519Checks: { ...(keys?.ed25519Checks ?? {}) },
        ValidCertificates: validCertificates,
      },
      Errors: errors,
      Ed25519VerifyKeys: keys && Object.keys(keys.verifyKeys).length > 0 ? { ...keys.verifyKeys } : null,
      Info: {},
      Keys: keys?.raw ?? null,
    };
  }
  const wk = resolution.wellKnown;
  const version = report.version;
  return {
    FederationOK: report.federationOk,
    ...(invalid
      ? { Error: `Invalid server name '${report.serverName}'` }
      : resolution.targets.length === 0 && resolution.error
        ? { Error: resolution.error.message }
        : {}),
    WellKnownResult: {
      'm.server': wk.status === 'delegated' ? (wk.mServer ?? '') : '',
      ...(wk.status !== 'delegated' ? { result: wk.status === 'skipped' ? `skipped: ${wk.detail}` : wk.detail } : {}),
      CacheExpiresAt: wk.status === 'delegated' ? cacheExpiresAt(report) : 0,
    },
    DNSResult: dnsResult(report),
    ConnectionReports: connectionReports,
    ConnectionErrors: connectionErrors,
    Version: {
      ...(version.name !== null ? { name: version.name } : {}),
      ...(version.version !== null ? { version: version.version } : {}),
      ...(version.error !== null ? { error: version.error } : {}),
    },
  };
}

function isSrvStep(e: TraceEntry): boolean {
  return ['3.3', '3.4', '4', '5'].includes(e.step) && typeof e.query === 'string' && e.query.startsWith('_matrix');
}

/** The tester's DNS section, from the resolver's trace (no second lookup). */
function dnsResult(report: CheckReport): TesterDnsResult {
  const trace = report.resolution.trace;
  const srvEntries = trace.filter(isSrvStep);
  const taken = srvEntries.find((e) => e.status === 'taken');
  const failed = srvEntries.find((e) => e.status === 'failed');
  const skipped = srvEntries.length === 0;
  const records = taken !== undefined && isSrvLookup(taken) ? taken.data.records : null;
  const hosts: TesterDnsResult['Hosts'] = {};
  for (const e of trace) {
    if (!isAddressLookup(e) || e.query === undefined) continue;
    const chain = e.data.cnameChain;
    hosts[e.query] = {
      CName: `${chain.length > 0 ? chain[chain.length - 1] : e.query}.`,
      Addrs: [...e.data.addresses],
      Error: e.status === 'failed' ? { Message: e.reason } : null,
    };
  }
  const addrs = report.resolution.targets.map((t) =>
    t.ip.includes(':') ? `[${t.ip}]:${t.port}` : `${t.ip}:${t.port}`,
  );
  const lastSrv = taken ?? failed ?? srvEntries[srvEntries.length - 1];
  return {
    SRVSkipped: skipped,
    SRVCName: lastSrv?.query ? `${lastSrv.query}.` : '',
    SRVRecords: records
      ? records.map((r) => ({ Target: `${r.target}.`, Port: r.port, Priority: r.priority, Weight: r.weight }))
      : null,
    SRVError: skipped || taken ? null : { Message: (failed ?? lastSrv)?.reason ?? 'no SRV records' },
    Hosts: hosts,
    Addrs: addrs.length > 0 ? addrs : null,
  };
}

/** When a homeserver would refetch the well-known (Unix seconds), from its Cache-Control as Synapse reads it. */
function cacheExpiresAt(report: CheckReport): number {
  const step3 = report.resolution.trace.find((e) => e.step === '3');
  const headers = step3?.data?.headers;
  const maxAge = /(?:^|,)\s*max-age\s*=\s*(\d+)/i.exec(headers?.cacheControl ?? '');
  const noStore = /(?:^|,)\s*no-store\b/i.test(headers?.cacheControl ?? '');
  let ttl: number = WELL_KNOWN_TTL.defaultSeconds;
  if (noStore) ttl = 0;
  else if (maxAge?.[1] !== undefined) ttl = Number(maxAge[1]);
  ttl = Math.min(Math.max(ttl, WELL_KNOWN_TTL.minSeconds), WELL_KNOWN_TTL.maxSeconds);
  return Math.floor(Date.parse(report.checkedAt) / 1000) + ttl;
}
