// Rules about where delegation points: a missing :443, a well-known in the wrong place or different per address, an IP m.server.

import type { WellKnownByAddress } from '../../check-report/index.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { SPEC_FEDERATION_PORT, list, serverDocument } from '../text.js';

function wellKnownUrl(facts: Facts): string {
  return `https://${facts.host ?? facts.serverName}/.well-known/matrix/server`;
}

/** Every target is on the default port (`step`), none works, and the HTTPS port answers the federation API. */
export function httpsPortWouldWork(facts: Facts, step: '3.5' | '6'): boolean {
  const probe = facts.input.probes.httpsPort;
  const targets = facts.input.resolution.targets;
  return (
    probe !== null &&
    probe.ok &&
    targets.length > 0 &&
    targets.every((t) => t.step === step) &&
    !facts.input.addresses.some((a) => a.ok)
  );
}

/** How the default-port addresses failed, in a few words. */
function defaultPortFailure(facts: Facts): string {
  const failures = facts.input.addresses.map(
    (a) => `${a.address}: ${a.connectionError?.code ?? (a.tls?.trusted === false ? 'untrusted certificate' : 'fails')}`,
  );
  return list(failures, 3);
}

function software(facts: Facts): string {
  const name = facts.input.probes.httpsPort?.software ?? null;
  return name === null ? '' : ` (${name})`;
}

/** `m.server` without a port sends servers to 8448, yet the homeserver answers on 443: the port is missing. */
export const mServerPortOmitted: Rule = (facts) => {
  const probe = facts.input.probes.httpsPort;
  if (probe === null || facts.delegated === null || !httpsPortWouldWork(facts, '3.5')) return [];
  const mServer = facts.input.resolution.wellKnown.mServer ?? probe.host;
  const port = facts.input.resolution.targets[0]?.port ?? SPEC_FEDERATION_PORT;
  return [
    {
      id: 'm-server-port-omitted',
      detail:
        `${wellKnownUrl(facts)} says ${serverDocument(mServer)} without a port and ${probe.host} has no SRV records, so servers connect to port ${port} ` +
        `(${defaultPortFailure(facts)}); but ${probe.host} answers the federation API on port ${probe.port}${software(facts)}.`,
      fix: `Change the well-known to ${serverDocument(`${probe.host}:${probe.port}`)}.`,
    },
  ];
};

/** No delegation and no SRV: servers try 8448, but the homeserver is on 443 and nothing says so. */
export const delegationMissingFor443: Rule = (facts) => {
  const probe = facts.input.probes.httpsPort;
  if (probe === null || facts.delegated !== null || !httpsPortWouldWork(facts, '6')) return [];
  const host = probe.host;
  const port = facts.input.resolution.targets[0]?.port ?? SPEC_FEDERATION_PORT;
  return [
    {
      id: 'delegation-missing-for-443',
      detail:
        `Without a delegating well-known or SRV record, servers connect to ${host} on port ${port} (${defaultPortFailure(facts)}); ` +
        `but ${host} answers the federation API on port ${probe.port}${software(facts)}.`,
      fix:
        `Serve ${wellKnownUrl(facts)} with ${serverDocument(`${host}:${probe.port}`)}, or publish the SRV record ` +
        `"_matrix-fed._tcp.${host}. 3600 IN SRV 10 5 ${probe.port} ${host}."`,
    },
  ];
};

/** The real well-known does not delegate, but a delegating copy sits on 8448, matrix./www. or an SRV target. */
export const wellKnownWrongPlace: Rule = (facts) => {
  if (!facts.wellKnownTried || facts.input.resolution.wellKnown.status === 'delegated') return [];
  const found = facts.input.probes.wellKnownElsewhere.filter((p) => p.status === 'delegated' && p.mServer !== null);
  const first = found[0];
  if (first === undefined) return [];
  const where = found.map((p) => `${p.url} answers ${serverDocument(p.mServer ?? '')}`);
  const onFederationPort = found.some((p) => p.reason === 'federation-port');
  return [
    {
      id: 'well-known-wrong-place',
      detail:
        `${list(where)}, but servers only fetch ${wellKnownUrl(facts)} (always port 443 of the server name's own host), which gives ` +
        `no delegation (${facts.input.resolution.wellKnown.detail}).`,
      fix:
        `Serve ${serverDocument(first.mServer ?? '')} at ${wellKnownUrl(facts)} from the web server of ${facts.host ?? facts.serverName} on port 443` +
        (onFederationPort
          ? '; serving it on the federation port does not help, that port is only used after delegation.'
          : `; servers never look for it on ${first.host}.`),
    },
  ];
};

function entryWords(w: WellKnownByAddress): string {
  const what = w.status === 'delegated' ? `delegates to ${w.mServer ?? ''}` : `${w.status}: ${w.detail}`;
  return `${w.ip} (IPv${w.family}) ${what}`;
}

/** Each address of the server name gives its own answer: which one a server sees depends on its network. */
export const wellKnownDiffersByAddress: Rule = (facts) => {
  const entries = facts.input.wellKnownByAddress.filter((w) => w.status !== 'blocked');
  const key = (w: WellKnownByAddress): string => `${w.status}|${w.mServer ?? ''}`;
  const groups = new Set(entries.map(key));
  if (entries.length < 2 || groups.size < 2) return [];
  // When the split follows the IP family exactly, say so: that is the usual cause (a listener on IPv4 only).
  const byFamily = ([4, 6] as const).map((f) => new Set(entries.filter((w) => w.family === f).map(key)));
  const familySplit =
    byFamily[0]!.size === 1 && byFamily[1]!.size === 1 && [...byFamily[0]!][0] !== [...byFamily[1]!][0];
  const v4 = entries.find((w) => w.family === 4);
  const v6 = entries.find((w) => w.family === 6);
  const summary =
    familySplit && v4 !== undefined && v6 !== undefined
      ? `Over IPv4 it ${v4.status === 'delegated' ? `delegates to ${v4.mServer ?? ''}` : `fails (${v4.status})`}, over IPv6 it ${v6.status === 'delegated' ? `delegates to ${v6.mServer ?? ''}` : `fails (${v6.status})`}: servers see one or the other depending on their network. `
      : 'Servers see a different delegation depending on the address they pick. ';
  return [
    {
      id: 'well-known-differs-by-address',
      detail: `${summary}${wellKnownUrl(facts)} fetched from each address: ${entries.map(entryWords).join('; ')}.`,
      fix:
        `Make every A and AAAA address of ${facts.host ?? facts.serverName} serve the same document: check that the web server listens on IPv6 too ` +
        '(nginx: listen [::]:443 ssl;), that the firewall allows both families, and that all the records point at the same machine (or at machines with the same configuration).',
    },
  ];
};

/** `m.server` an IP literal: legal (step 3.1), but the certificate then needs the IP address. */
export const mServerIpLiteral: Rule = (facts) => {
  if (!facts.input.resolution.trace.some((e) => e.step === '3.1' && e.status === 'taken')) return [];
  const mServer = facts.input.resolution.wellKnown.mServer ?? '';
  return [
    {
      id: 'm-server-ip-literal',
      detail: `The well-known delegates to the IP address ${mServer}: servers connect there without SNI, send Host ${mServer}, and check the certificate against the IP address.`,
      fix: 'Prefer a host name in "m.server" (public CAs rarely certify IP addresses, and addresses change); if you keep the IP, the certificate must list it as a subjectAltName.',
    },
  ];
};

/** The rules of this file, in order. */
export const delegationRules: readonly Rule[] = [
  mServerPortOmitted,
  delegationMissingFor443,
  wellKnownWrongPlace,
  wellKnownDiffersByAddress,
  mServerIpLiteral,
];
