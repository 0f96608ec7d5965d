// checkServer(): resolution, then every address checked on its own, the documents, the verdict and the hints.

import { untilAborted } from '../net/abort.js';
import { checkClientDocument } from './client-document.js';
import { checkSupportDocument } from './support-document.js';
import { checkAddress, createCheckClient } from './check-address.js';
import { runProbes } from './probes.js';
import { wellKnownByAddress } from './well-known-by-address.js';
import { diagnose } from '../diagnosis/index.js';
import { MatrixDelegationError } from '../errors.js';
import { resolveServerName } from '../resolver/resolve.js';
import { RESOLVE_DEFAULTS, resolvePorts } from '../resolver/options.js';
import type { AddressReport, CheckOptions, CheckReport, WellKnownByAddress } from './types.js';

/** Defaults of {@link CheckOptions}. */
export const CHECK_DEFAULTS = { operationTimeoutMs: 10_000, checkDocuments: true, maxAddresses: 32 } as const;

/**
 * Checks federation with `serverName` as another homeserver would experience it, and explains what is wrong.
 *
 * Runs the resolver (its trace is the report's resolution path), then checks every target address on its own,
 * in parallel (TLS chain and name, `/_matrix/federation/v1/version`, `/_matrix/key/v2/server` with signature
 * checks), fetches the server well-known from every address of the server name's host, checks the client and
 * support documents, and asks the hint catalogue what to tell the admin. Never throws for remote faults.
 *
 * Cancellation: every part gets `options.signal`, combined with its own `operationTimeoutMs`, so when the signal
 * aborts the resolver, the TLS probes, the requests, the document fetches, the probes and their DNS questions all
 * stop at once. The promise then rejects with the signal's reason (promptly, even if an injected DNS port ignores
 * the signal), and never with a report: a check cut short would report healthy servers as broken. The check's
 * pooled connections are closed before it settles; the other sockets are destroyed when the signal aborts. An
 * already-aborted signal rejects before any DNS question or connection. Throws `INVALID_ARGUMENT` for unusable
 * options.
 *
 * @example
 * ```ts
 * const report = await checkServer('example.com');
 * console.log(report.federationOk, report.summary);
 * for (const hint of report.hints) console.log(`${hint.title}: ${hint.fix}`);
 * ```
 */
export async function checkServer(serverName: string, options: CheckOptions = {}): Promise<CheckReport> {
  const started = performance.now();
  const checkedAt = new Date((options.now ?? Date.now)()).toISOString();
  const now = options.now ?? Date.now;
  const operationTimeoutMs = options.operationTimeoutMs ?? CHECK_DEFAULTS.operationTimeoutMs;
  const maxAddresses = options.maxAddresses ?? CHECK_DEFAULTS.maxAddresses;
  if (!Number.isInteger(maxAddresses) || maxAddresses < 1) {
    throw new MatrixDelegationError('INVALID_ARGUMENT', `maxAddresses must be a whole number of at least 1, not ${String(maxAddresses)}`);
  }
  const ports = resolvePorts(options);
  const signal = options.signal;
  signal?.throwIfAborted();
  const shared = { ...options, dns: ports.dns, policy: ports.policy };
  const client = createCheckClient({ ...shared, connectTimeoutMs: operationTimeoutMs, requestTimeoutMs: operationTimeoutMs });
  // The extra CAs only: each TLS user adds them to the system roots itself (see net/trust.ts).
  const ca = options.ca;
  try {
    const resolution = await untilAborted(resolveServerName(serverName, shared), signal);
    // The resolver reports an abort as failed steps, not as a rejection: none of that is the server's fault.
    signal?.throwIfAborted();
    const host = resolution.parsed?.kind === 'dns' ? resolution.parsed.host : null;
    const docOptions = {
      dns: ports.dns,
      policy: ports.policy,
      timeoutMs: operationTimeoutMs,
      ...(options.wellKnownPort !== undefined ? { port: options.wellKnownPort } : {}),
      ...(options.ca ? { ca: [...options.ca] } : {}),
      ...(signal ? { signal } : {}),
    };
    const checkDocuments = (options.checkDocuments ?? CHECK_DEFAULTS.checkDocuments) && host !== null;
    const probeContext = {
      client,
      dns: ports.dns,
      policy: ports.policy,
      httpsPort: options.wellKnownPort ?? RESOLVE_DEFAULTS.wellKnownPort,
      defaultPort: options.defaultPort ?? RESOLVE_DEFAULTS.defaultPort,
      timeoutMs: operationTimeoutMs,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(signal ? { signal } : {}),
    };
    // Every address is dialled at once: a name with a thousand addresses (or an SRV set pointing at someone else's
    // network) must not turn one check into a thousand connections to third parties. The first ones are checked.
    const checked = resolution.targets.slice(0, maxAddresses);
    const addressContext = { serverName, client, ca, operationTimeoutMs, now, ...(signal ? { signal } : {}) };
    const parts = Promise.all([
      Promise.all(checked.map((t) => checkAddress(t, addressContext))),
      host !== null && resolution.parsed?.port === undefined
        ? wellKnownByAddress(host, { ...docOptions, maxAddresses })
        : Promise.resolve([] as WellKnownByAddress[]),
      checkDocuments && host !== null ? checkClientDocument(host, docOptions) : Promise.resolve(null),
      checkDocuments && host !== null ? checkSupportDocument(host, docOptions) : Promise.resolve(null),
      runProbes(resolution, probeContext),
    ]);
    const [addresses, byAddress, client_, support, probes] = await untilAborted(parts, signal);
    // Every part rejects on the abort; this also catches one that ended between the abort and its last await.
    signal?.throwIfAborted();
    const federationOk = federationVerdict(resolution.error?.code === 'INVALID_SERVER_NAME', addresses);
    const working = addresses.filter((a) => a.ok).length;
    const firstVersion = addresses.find((a) => a.version?.ok)?.version ?? addresses.find((a) => a.version)?.version ?? null;
    const base = {
      serverName,
      checkedAt,
      federationOk,
      reachable: working > 0,
      summary: summarize(resolution.error?.message ?? null, addresses, resolution.targets.length),
      resolution,
      wellKnownByAddress: byAddress,
      addresses,
      version: {
        name: firstVersion?.name ?? null,
        version: firstVersion?.version ?? null,
        error: firstVersion === null ? 'no address answered' : firstVersion.ok ? null : (firstVersion.error?.message ?? 'failed'),
      },
      client: client_,
      support,
      probes,
    };
    const hints = diagnose(base);
    return { ...base, hints, durationMs: Math.round(performance.now() - started) };
  } finally {
    await client.close();
  }
}

/**
 * matrix-federation-tester's verdict, kept so that the same server gets the same answer in its format:
 * false when the name is invalid, no address was found, the version request fails, any address has a
 * connection error, or any address fails its checks (keys and `ValidCertificates`).
 */
export function federationVerdict(invalidName: boolean, addresses: readonly AddressReport[]): boolean {
  if (invalidName || addresses.length === 0) return false;
  if (!addresses.some((a) => a.version?.ok === true)) return false;
  return addresses.every((a) => a.connectionError === null && a.tls !== null && a.tls.trusted && a.tls.nameMatches && a.keys?.ok === true);
}

/** One sentence for people: the verdict, and how many addresses fail (and how many were not checked). */
function summarize(resolutionError: string | null, addresses: readonly AddressReport[], found: number): string {
  const sentence = verdictSentence(resolutionError, addresses);
  return found > addresses.length && addresses.length > 0
    ? `${sentence} Only the first ${addresses.length} of the ${found} addresses found were checked.`
    : sentence;
}

function verdictSentence(resolutionError: string | null, addresses: readonly AddressReport[]): string {
  if (addresses.length === 0) return `Federation does not work: ${resolutionError ?? 'no address to connect to'}.`;
  const working = addresses.filter((a) => a.ok).length;
  if (working === addresses.length) return addresses.length === 1 ? 'Federation works.' : `Federation works on all ${addresses.length} addresses.`;
  if (working === 0) return addresses.length === 1 ? 'Federation does not work: the only address fails.' : `Federation does not work: all ${addresses.length} addresses fail.`;
  return `Federation works, but ${addresses.length - working} of ${addresses.length} addresses fail: servers that reach those addresses cannot federate.`;
}
