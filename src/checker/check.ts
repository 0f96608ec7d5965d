// checkServer(): resolution, then every address checked on its own, the documents, the verdict and the hints.

import { federationVerdict, NO_PROBES, type CheckReport, type WellKnownByAddress } from '../check-report/index.js';
import { CHECKER_ERROR_EN, CHECKER_VERSION_EN } from '../check-report/checker-error-texts.js';
import { diagnose } from '../diagnosis/index.js';
import { untilAborted } from '../net/abort.js';
import { REMOTE_TEXT_LIMITS, boundRemoteStrings } from '../remote-text.js';
import { resolveServerName } from '../resolver/resolve.js';
import { boundAddressReport, boundCheckReport } from './bound-report.js';
import { checkAddress, timedOutAddress } from './check-address.js';
import { checkClientDocumentWith } from './client-document.js';
import { createCheckContext, fetchTransport } from './context.js';
import { probeEncodedPath } from './field-probes.js';
import { runProbes } from './probes.js';
import { checkSummary } from './summary.js';
import { checkSupportDocumentWith } from './support-document.js';
import type { CheckOptions } from './types.js';
import { wellKnownByAddress } from './well-known-by-address.js';

export { CHECK_DEFAULTS } from './options.js';

/**
 * Checks federation with `serverName` as another homeserver would experience it, and explains what is wrong.
 *
 * Runs the resolver (its trace is the report's resolution path), then checks every target address on its own,
 * in parallel (TLS chain and name, `/_matrix/federation/v1/version`, `/_matrix/key/v2/server` with signature
 * checks), fetches the server well-known from every address of the server name's host, checks the client and
 * support documents, and asks the hint catalogue what to tell the admin. Never throws for remote faults.
 *
 * Time: `timeoutMs` is the budget of the whole check, and the report comes within it whatever the remote servers do
 * (see `budget.ts`). The resolution gets at most 40 % of it; after the resolution, each operation gets its share of
 * the time left (a TLS handshake half of it, as the requests that follow need the other half), and at most
 * `operationTimeoutMs`. Shortly before the end of the budget whatever is still under way is stopped and reported as
 * `TIMEOUT` (an address whose handshake or requests had not finished, a document fetch), so a stalled address
 * never costs the report of the others.
 *
 * Cancellation: every part gets `options.signal` through the check's own signal, so when the caller's signal aborts
 * the resolver, the TLS probes, the requests, the document fetches, the probes and their DNS questions all stop at
 * once. The promise then rejects with the signal's reason (promptly, even if an injected DNS resolver ignores the
 * signal), and never with a report: a check cut short would report healthy servers as broken. The check's pooled
 * connections are closed before it settles; the other sockets are destroyed when the signal aborts. An
 * already-aborted signal rejects before any DNS question or connection. Rejects with `INVALID_ARGUMENT` for a
 * `serverName` that is not a string or an unusable option (see `checkCheckOptions`).
 *
 * @example
 * ```ts
 * const report = await checkServer('example.com', { timeoutMs: 20_000 });
 * console.log(report.federationOk, report.summary);
 * for (const hint of report.hints) console.log(`${hint.title}: ${hint.fix}`);
 * ```
 */
export async function checkServer(serverName: string, options: CheckOptions = {}): Promise<CheckReport> {
  const started = performance.now();
  const ctx = createCheckContext(serverName, options);
  const { budget, callerSignal } = ctx;
  const rethrowIfCallerAborted = (): void => {
    if (callerSignal?.aborted === true) throw callerSignal.reason;
  };
  try {
    const resolution = await untilAborted(resolveServerName(serverName, ctx.resolveOptions), callerSignal);
    // The resolver reports an abort as failed steps, not as a rejection: none of that is the server's fault.
    rethrowIfCallerAborted();
    const host = resolution.parsed?.kind === 'dns' ? resolution.parsed.host : null;
    const checkDocuments = ctx.settings.checkDocuments && host !== null;
    // Every address is dialled at once: a name with a thousand addresses (or an SRV set pointing at someone else's
    // network) must not turn one check into a thousand connections to third parties. The first ones are checked.
    const checked = resolution.targets.slice(0, ctx.maxAddresses);
    const expired = (): string => CHECKER_ERROR_EN.budgetExpired({ ms: budget.totalMs });
    // Each part takes its limits from what the resolution left (see fetchTransport) and settles with what it found by
    // the deadline: the budget ends its work, and a part that ignores that (an injected dependency) is given up on a
    // little later with a TIMEOUT in its place. The caller's abort rejects.
    const addressChecks = checked.map((t) => budget.settle(checkAddress(t, ctx), () => timedOutAddress(t, expired())));
    // The encoded-path probe asks the first address once it has answered as a homeserver (version and keys): never a
    // dead address, nor one that answers something else (a proxy rewriting paths still passes those two requests).
    const encodedPath = addressChecks[0]?.then((a) =>
      a.version?.ok !== true || a.keys?.ok !== true
        ? null
        : budget.settle(probeEncodedPath(a.target, ctx, fetchTransport(ctx, 1)), () => null),
    );
    const parts = Promise.all([
      Promise.all(addressChecks),
      host !== null && resolution.parsed?.port === undefined
        ? budget.settle(wellKnownByAddress(host, ctx), (): WellKnownByAddress[] => [])
        : Promise.resolve([] as WellKnownByAddress[]),
      checkDocuments
        ? budget.settle(checkClientDocumentWith(host, fetchTransport(ctx, 2)), () => null)
        : Promise.resolve(null),
      checkDocuments
        ? budget.settle(checkSupportDocumentWith(host, fetchTransport(ctx, 2)), () => null)
        : Promise.resolve(null),
      budget.settle(runProbes(resolution, ctx), () => NO_PROBES),
      encodedPath ?? null,
    ]);
    const [checkedAddresses, byAddress, client, support, found, pathProbe] = await parts;
    const probes = { ...found, encodedPath: pathProbe };
    // The report keeps a bounded copy of what the servers sent (a 500 KB version name is kept as 256 characters).
    const addresses = checkedAddresses.map(boundAddressReport);
    // Every part rejects on the abort; this also catches one that ended between the abort and its last await.
    rethrowIfCallerAborted();
    const federationOk = federationVerdict(resolution.error?.code === 'INVALID_SERVER_NAME', addresses);
    const working = addresses.filter((a) => a.ok).length;
    const firstVersion =
      addresses.find((a) => a.version?.ok)?.version ?? addresses.find((a) => a.version)?.version ?? null;
    // Every string of the report bounded once more, whatever part it is in (docs/check-report.md, "Remote text").
    const base = boundRemoteStrings(
      {
        serverName,
        checkedAt: ctx.checkedAt,
        federationOk,
        reachable: working > 0,
        summary: checkSummary({ resolution, addresses }, ctx.settings.locale),
        resolution,
        wellKnownByAddress: byAddress,
        addresses,
        version: {
          name: firstVersion?.name ?? null,
          version: firstVersion?.version ?? null,
          error:
            firstVersion === null
              ? CHECKER_VERSION_EN.noAddressAnswered
              : firstVersion.ok
                ? null
                : (firstVersion.error?.message ?? CHECKER_VERSION_EN.versionFailed),
        },
        client,
        support,
        probes,
      },
      REMOTE_TEXT_LIMITS.any,
    );
    const hints = diagnose(base, { locale: ctx.settings.locale });
    return boundCheckReport({ ...base, hints, durationMs: Math.round(performance.now() - started) });
  } finally {
    await ctx.close();
  }
}
