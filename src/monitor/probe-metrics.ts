// One check in the Prometheus text format, for `/probe?target=` (the multi-target pattern of blackbox_exporter).

import { Gauge, Registry } from 'prom-client';
import type { CheckReport } from '../checker/types.js';
import { observeReport } from './observe.js';
import type { Observation } from './types.js';

/** The metrics of one check, by name (docs/monitor.md): the same names carry a `server_name` label on `/metrics`. */
export const FEDERATION_METRICS = {
  ok: {
    name: 'matrix_federation_ok',
    help: "1 when federation with the server works (matrix-federation-tester's rule: every address passes), else 0.",
  },
  duration: {
    name: 'matrix_federation_probe_duration_seconds',
    help: 'How long the check took, in seconds.',
  },
  addresses: {
    name: 'matrix_federation_addresses',
    help: 'Addresses of the server checked, by state: ok (TLS, version and keys pass) or failed.',
  },
  expiry: {
    name: 'matrix_federation_certificate_expiry_timestamp_seconds',
    help: 'When the earliest certificate servers see expires (any certificate of any address), as a Unix timestamp.',
  },
  hints: {
    name: 'matrix_federation_hints',
    help: 'Hints of the check (problems and facts with their fix), by severity.',
  },
  delegated: {
    name: 'matrix_federation_well_known_delegated',
    help: '1 when /.well-known/matrix/server delegates (a valid m.server is served), else 0.',
  },
  version: {
    name: 'matrix_federation_server_version_info',
    help: 'Always 1; the labels give the server software and version from /_matrix/federation/v1/version.',
  },
} as const;

/** The severities counted by `matrix_federation_hints`, all three always present. */
const SEVERITIES = ['error', 'warning', 'info'] as const;

/**
 * Sets the federation gauges of one observation, with `labels` added to every series (`{}` for `/probe`,
 * `{ server_name }` on `/metrics`). Series without a value (no certificate seen, no version read) are left out.
 */
export function setFederationGauges(
  gauges: FederationGauges,
  observation: Observation,
  labels: Readonly<Record<string, string>>,
): void {
  gauges.ok.set(labels, observation.ok ? 1 : 0);
  gauges.duration.set(labels, observation.durationMs / 1000);
  gauges.addresses.set({ ...labels, state: 'ok' }, observation.addressesOk);
  gauges.addresses.set({ ...labels, state: 'failed' }, observation.addressesFailed);
  if (observation.certificateExpiresAt !== null)
    gauges.expiry.set(labels, Math.floor(observation.certificateExpiresAt / 1000));
  for (const severity of SEVERITIES)
    gauges.hints.set({ ...labels, severity }, observation.hints.filter((h) => h.severity === severity).length);
  gauges.delegated.set(labels, observation.wellKnownDelegated ? 1 : 0);
  const { name, version } = observation.serverVersion;
  if (name !== null || version !== null) gauges.version.set({ ...labels, name: name ?? '', version: version ?? '' }, 1);
}

/** The gauges of {@link FEDERATION_METRICS}. */
export interface FederationGauges {
  readonly ok: Gauge;
  readonly duration: Gauge;
  readonly addresses: Gauge;
  readonly expiry: Gauge;
  readonly hints: Gauge;
  readonly delegated: Gauge;
  readonly version: Gauge;
}

/**
 * Registers the federation gauges in `registry`, each with `labelNames` plus its own labels (`state`, `severity`,
 * `name` and `version`); `collect` (prom-client's hook, called on every read) fills them.
 */
export function createFederationGauges(
  registry: Registry,
  labelNames: readonly string[],
  collect?: () => void,
): FederationGauges {
  const registers = [registry];
  const m = FEDERATION_METRICS;
  const gauge = (spec: { name: string; help: string }, extra: readonly string[] = []): Gauge =>
    new Gauge({ name: spec.name, help: spec.help, labelNames: [...labelNames, ...extra], registers });
  const gauges: FederationGauges = {
    ok: new Gauge({
      name: m.ok.name,
      help: m.ok.help,
      labelNames: [...labelNames],
      registers,
      ...(collect === undefined ? {} : { collect }),
    }),
    duration: gauge(m.duration),
    addresses: gauge(m.addresses, ['state']),
    expiry: gauge(m.expiry),
    hints: gauge(m.hints, ['severity']),
    delegated: gauge(m.delegated),
    version: gauge(m.version, ['name', 'version']),
  };
  return gauges;
}

/**
 * The Prometheus text of one check, as `/probe` answers it: the gauges of {@link FEDERATION_METRICS} without a
 * server label (Prometheus adds the target as `instance` by relabelling, as with blackbox_exporter), in a registry of
 * their own made for this answer.
 *
 * @example
 * ```ts
 * const { contentType, text } = await renderProbeMetrics(report);
 * ```
 */
export async function renderProbeMetrics(report: CheckReport): Promise<{ contentType: string; text: string }> {
  const registry = new Registry();
  setFederationGauges(createFederationGauges(registry, []), observeReport(report), {});
  return { contentType: registry.contentType, text: await registry.metrics() };
}
