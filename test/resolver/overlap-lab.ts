// Test helper: a lab with one server name per resolution path (every spec step, and the failures), for the overlap and cache tests.

import { startLab } from '../../src/testing/index.js';
import type { Lab, LabNameSpec, LabZones } from '../../src/testing/index.js';
import { claimRandomLoopbackAddress, releaseLoopbackAddresses } from '../../src/testing/loopback.js';
import type { ResolveOptions, ResolveResult, ResolutionStep, WellKnownStatus } from '../../src/resolver/types.js';

export const ZONE = 'ovl.test';

/** One server name of the lab and the path it must take. */
export interface LabScenario {
  readonly id: string;
  readonly name: (lab: Lab) => string;
  /** The step of every target, or null when there must be none. */
  readonly step: ResolutionStep | null;
  readonly wellKnown: WellKnownStatus;
  readonly error: string | null;
}

export const SCENARIOS: readonly LabScenario[] = [
  {
    id: '1',
    name: (lab) => `${lab.address('fed')}:${lab.ports.federation}`,
    step: '1',
    wellKnown: 'skipped',
    error: null,
  },
  { id: '2', name: (lab) => `explicit.${ZONE}:${lab.ports.federation}`, step: '2', wellKnown: 'skipped', error: null },
  { id: '3.1', name: () => `ipdeleg.${ZONE}`, step: '3.1', wellKnown: 'delegated', error: null },
  { id: '3.2', name: () => `portdeleg.${ZONE}`, step: '3.2', wellKnown: 'delegated', error: null },
  { id: '3.2-redirect', name: () => `redirect.${ZONE}`, step: '3.2', wellKnown: 'delegated', error: null },
  { id: '3.3', name: () => `srvdeleg.${ZONE}`, step: '3.3', wellKnown: 'delegated', error: null },
  { id: '3.3-self', name: () => `selfdeleg.${ZONE}`, step: '3.3', wellKnown: 'delegated', error: null },
  { id: '3.4', name: () => `legacydeleg.${ZONE}`, step: '3.4', wellKnown: 'delegated', error: null },
  { id: '3.5', name: () => `plaindeleg.${ZONE}`, step: '3.5', wellKnown: 'delegated', error: null },
  { id: '4', name: () => `srv.${ZONE}`, step: '4', wellKnown: 'absent', error: null },
  { id: '4-refused', name: () => `refused.${ZONE}`, step: '4', wellKnown: 'error', error: null },
  { id: '5', name: () => `legacy.${ZONE}`, step: '5', wellKnown: 'absent', error: null },
  { id: '6', name: () => `plain.${ZONE}`, step: '6', wellKnown: 'absent', error: null },
  { id: '6-500', name: () => `err500.${ZONE}`, step: '6', wellKnown: 'error', error: null },
  { id: '6-bad-json', name: () => `badjson.${ZONE}`, step: '6', wellKnown: 'invalid', error: null },
  { id: '6-bad-m.server', name: () => `badmserver.${ZONE}`, step: '6', wellKnown: 'invalid', error: null },
  { id: 'srv-dot', name: () => `dotsrv.${ZONE}`, step: null, wellKnown: 'absent', error: 'SRV_UNAVAILABLE' },
  { id: 'srv-servfail', name: () => `servfail.${ZONE}`, step: null, wellKnown: 'absent', error: 'DNS_SERVFAIL' },
  { id: 'nxdomain', name: () => `nowhere.${ZONE}`, step: null, wellKnown: 'error', error: 'NO_TARGETS' },
  { id: 'denied', name: () => `denied.${ZONE}`, step: null, wellKnown: 'blocked', error: 'ADDRESS_DENIED' },
];

/** Well-known answers by Host (null: 404). */
function wellKnownFor(lab: Lab, host: string): { json?: unknown; status?: number; redirect?: string; body?: string } {
  const fed = lab.ports.federation;
  switch (host) {
    case `ipdeleg.${ZONE}`:
      return { json: { 'm.server': `${lab.address('fed')}:${fed}` } };
    case `portdeleg.${ZONE}`:
      return { json: { 'm.server': `matrix.portdeleg.${ZONE}:${fed}` } };
    case `redirect.${ZONE}`:
      return { status: 302, redirect: `https://portdeleg.${ZONE}:${lab.ports.https}/.well-known/matrix/server` };
    case `srvdeleg.${ZONE}`:
      return { json: { 'm.server': `matrix.srvdeleg.${ZONE}` } };
    case `selfdeleg.${ZONE}`:
      return { json: { 'm.server': `selfdeleg.${ZONE}` } };
    case `legacydeleg.${ZONE}`:
      return { json: { 'm.server': `matrix.legacydeleg.${ZONE}` } };
    case `plaindeleg.${ZONE}`:
      return { json: { 'm.server': `matrix.plaindeleg.${ZONE}` } };
    case `err500.${ZONE}`:
      return { status: 500, json: { errcode: 'M_UNKNOWN' } };
    case `badjson.${ZONE}`:
      return { body: '{"m.server": ' };
    case `badmserver.${ZONE}`:
      return { json: { 'm.server': 'not a server name!' } };
    default:
      return { status: 404, json: { errcode: 'M_NOT_FOUND' } };
  }
}

/** A running scenario lab. */
export interface ScenarioLab {
  readonly lab: Lab;
  /** Resolver options for this lab: only the lab's own hosts are allowed (so `denied` is denied), SRV order fixed. */
  options(extra?: ResolveOptions): ResolveOptions;
  close(): Promise<void>;
}

/**
 * Starts the lab. With `delayMs`, every DNS answer and every accepted connection is delayed by that much (one
 * round trip each), and the SRV names the overlapping mode asks ahead exist (empty) so that they are delayed too.
 */
export async function startScenarioLab(delayMs = 0): Promise<ScenarioLab> {
  const refusedAddress = claimRandomLoopbackAddress();
  const at = (spec: Omit<LabNameSpec, 'delayMs'> = {}): LabNameSpec => (delayMs > 0 ? { ...spec, delayMs } : spec);
  // SRV ports are patched in once the lab's federation port is known.
  const srv = (target: string): LabNameSpec => at({ SRV: [{ priority: 0, weight: 0, port: 1, target }] });
  const zones: Record<string, LabNameSpec> = {
    [`explicit.${ZONE}`]: at({ A: ['fed'] }),
    [`matrix.portdeleg.${ZONE}`]: at({ A: ['fed'], AAAA: ['v6'] }),
    [`_matrix-fed._tcp.matrix.srvdeleg.${ZONE}`]: srv(`fed.srvdeleg.${ZONE}`),
    [`fed.srvdeleg.${ZONE}`]: at({ A: ['fed'] }),
    [`_matrix-fed._tcp.selfdeleg.${ZONE}`]: srv(`fed.selfdeleg.${ZONE}`),
    [`fed.selfdeleg.${ZONE}`]: at({ A: ['fed'] }),
    [`_matrix._tcp.matrix.legacydeleg.${ZONE}`]: srv(`fed.legacydeleg.${ZONE}`),
    [`fed.legacydeleg.${ZONE}`]: at({ A: ['fed'] }),
    [`matrix.plaindeleg.${ZONE}`]: at({ A: ['fed'] }),
    [`_matrix-fed._tcp.srv.${ZONE}`]: at({
      SRV: [
        { priority: 10, weight: 0, port: 1, target: `second.srv.${ZONE}` },
        { priority: 0, weight: 0, port: 1, target: `first.srv.${ZONE}` },
      ],
    }),
    [`first.srv.${ZONE}`]: at({ CNAME: `alias.srv.${ZONE}` }),
    [`alias.srv.${ZONE}`]: at({ A: ['fed'] }),
    [`second.srv.${ZONE}`]: at({ A: ['fed'] }),
    [`refused.${ZONE}`]: at({ A: [refusedAddress] }),
    [`_matrix-fed._tcp.refused.${ZONE}`]: srv(`fed.refused.${ZONE}`),
    [`fed.refused.${ZONE}`]: at({ A: ['fed'] }),
    [`_matrix._tcp.legacy.${ZONE}`]: srv(`fed.legacy.${ZONE}`),
    [`fed.legacy.${ZONE}`]: at({ A: ['fed'] }),
    [`_matrix-fed._tcp.dotsrv.${ZONE}`]: at({ SRV: [{ priority: 0, weight: 0, port: 0, target: '.' }] }),
    [`_matrix-fed._tcp.servfail.${ZONE}`]: { servfail: true },
    [`denied.${ZONE}`]: at({ A: ['127.0.0.1'] }),
  };
  // The hosts whose well-known the lab serves; plain, err500, badjson and badmserver fall back to their addresses.
  for (const host of [
    'ipdeleg',
    'portdeleg',
    'redirect',
    'srvdeleg',
    'selfdeleg',
    'legacydeleg',
    'plaindeleg',
    'srv',
    'legacy',
    'plain',
    'err500',
    'badjson',
    'badmserver',
    'dotsrv',
    'servfail',
  ]) {
    zones[`${host}.${ZONE}`] = at({
      A: host === 'plain' || host === 'err500' || host === 'badjson' || host === 'badmserver' ? ['wk', 'fed'] : ['wk'],
    });
  }
  if (delayMs > 0) {
    // Names asked only by the overlapping mode: present and empty, so that they answer NODATA after the delay.
    const hosts = new Set(Object.keys(zones).map((name) => name.replace(/^_matrix(-fed)?\._tcp\./, '')));
    for (const host of hosts) {
      for (const service of ['_matrix-fed._tcp', '_matrix._tcp']) zones[`${service}.${host}`] ??= at();
    }
  }
  const certNames = Object.keys(zones).filter((n) => !n.startsWith('_'));
  let lab: Lab | undefined;
  try {
    lab = await startLab({
      zones: zones as LabZones,
      hosts: {
        wk: {
          acceptDelayMs: delayMs,
          certificates: [{ dnsNames: certNames }],
          routes: {
            'GET /.well-known/matrix/server': (request) =>
              wellKnownFor(lab!, (request.host ?? '').replace(/:\d+$/, '').toLowerCase()),
          },
        },
        fed: { port: 'federation', acceptDelayMs: delayMs },
        v6: { address: '::1', port: 'federation' },
      },
    });
  } catch (error) {
    releaseLoopbackAddresses([refusedAddress]);
    throw error;
  }
  const started = lab;
  const fed = started.ports.federation;
  for (const [name, spec] of Object.entries(zones)) {
    if (spec.SRV && spec.SRV.some((r) => r.port === 1)) {
      started.dns.setName(name, { ...spec, SRV: spec.SRV.map((r) => ({ ...r, port: fed })) });
    }
  }
  return {
    lab: started,
    options(extra = {}) {
      const base = started.clientOptions();
      const hostNets = Object.values(started.hosts).map((h) =>
        h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`,
      );
      return { ...base, allowNetworks: [...hostNets, `${refusedAddress}/32`], random: () => 0, ...extra };
    },
    async close() {
      await started.close();
      releaseLoopbackAddresses([refusedAddress]);
    },
  };
}

/** Removes every `durationMs` (and, when asked, TTLs left and cache accounts) from a trace value: timings differ between runs. */
function strip(value: unknown, warm: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v, warm));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'durationMs' || key === 'startMs' || key === 'cache') continue;
    if (warm && key === 'ttlSeconds') continue;
    out[key] = strip(v, warm);
  }
  return out;
}

/**
 * What must be equal whatever the mode: targets, well-known outcome, error, and each trace step (step, status,
 * reason, code, query, data), timings and cache accounts aside. `warm`: the result came from a cache, which keeps
 * only the HTTP status of the well-known fetch's facts and serves DNS answers with the TTL that is left.
 */
export function comparable(result: ResolveResult, warm = false): unknown {
  const trace = result.trace.map((entry) => {
    const e = strip(entry, warm) as Record<string, unknown>;
    if (warm && entry.step === '3' && entry.data !== undefined) e['data'] = { httpStatus: entry.data['httpStatus'] };
    return e;
  });
  return {
    serverName: result.serverName,
    targets: result.targets,
    wellKnown: result.wellKnown,
    error: result.error,
    trace,
  };
}
