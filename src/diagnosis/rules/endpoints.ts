// Rules about reaching the addresses and what answers there: firewalls, one IP family down, proxies, the server keys.

import type { AddressReport } from '../../check-report/index.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { SPEC_FEDERATION_PORT, describeAddress, list } from '../text.js';
import { httpsPortWouldWork } from './delegation.js';
import { cdnExplains } from './field-cdn.js';
import { blockedByUserAgent, hostFormExplains } from './field-http.js';

/** A failure to reach the address at all (as opposed to TLS or HTTP failures). */
function connectFailed(a: AddressReport): boolean {
  return a.connectionError !== null && a.connectionError.code.startsWith('CONNECT_');
}

/** Addresses of family `f` all unreachable while the other family connects. */
function familyDown(facts: Facts, f: 4 | 6): AddressReport[] {
  const mine = facts.input.addresses.filter((a) => a.family === f);
  const other = facts.input.addresses.filter((a) => a.family !== f);
  if (mine.length === 0 || !mine.every(connectFailed) || !other.some((a) => a.connectionError === null)) return [];
  return mine;
}

function failureWords(a: AddressReport): string {
  return `${describeAddress(a)}: ${a.connectionError?.code ?? ''} (${a.connectionError?.message ?? ''})`;
}

/** AAAA published, IPv6 broken: servers with IPv6 try it first and wait (or fail, for the tester's verdict). */
export const ipv6Unreachable: Rule = (facts) => {
  const down = familyDown(facts, 6);
  if (down.length === 0) return [];
  const hosts = [...new Set(down.map((a) => a.target.addressOf ?? a.target.ip))];
  const v4 = facts.input.addresses.filter((a) => a.family === 4 && a.connectionError === null).map((a) => a.address);
  return [
    {
      id: 'ipv6-unreachable',
      detail:
        `Every IPv6 address fails (${down.map(failureWords).join('; ')}) while IPv4 connects (${list(v4)}). Servers with IPv6 try the AAAA ` +
        'addresses first: they wait for the failure before falling back, and some give up.',
      fix:
        `Make the homeserver (or its reverse proxy) reachable over IPv6 on port ${list([...new Set(down.map((a) => String(a.target.port)))])}: listen on [::] ` +
        `(nginx: listen [::]:${down[0]?.target.port ?? SPEC_FEDERATION_PORT} ssl;) and open the IPv6 firewall; or, if the server has no working IPv6, delete the AAAA record(s) of ${list(hosts)}.`,
    },
  ];
};

/** The reverse: A published, IPv4 broken. */
export const ipv4Unreachable: Rule = (facts) => {
  const down = familyDown(facts, 4);
  if (down.length === 0) return [];
  const hosts = [...new Set(down.map((a) => a.target.addressOf ?? a.target.ip))];
  const v6 = facts.input.addresses.filter((a) => a.family === 6 && a.connectionError === null).map((a) => a.address);
  return [
    {
      id: 'ipv4-unreachable',
      detail: `Every IPv4 address fails (${down.map(failureWords).join('; ')}) while IPv6 connects (${list(v6)}). Servers without IPv6 cannot federate with this one at all.`,
      fix:
        `Make port ${list([...new Set(down.map((a) => String(a.target.port)))])} reachable over IPv4 (listener, firewall, NAT port forwarding on the router), ` +
        `or correct the A record(s) of ${list(hosts)} if they point at the wrong address.`,
    },
  ];
};

/** Refused, timed out or unreachable, where no family or port hint explains it. */
export const addressUnreachable: Rule = (facts) => {
  const explained = new Set<AddressReport>([...familyDown(facts, 4), ...familyDown(facts, 6)]);
  if (httpsPortWouldWork(facts, '3.5') || httpsPortWouldWork(facts, '6'))
    for (const a of facts.input.addresses) explained.add(a);
  const failed = facts.input.addresses.filter((a) => connectFailed(a) && !explained.has(a) && !cdnExplains(facts, a));
  if (failed.length === 0) return [];
  const ports = [...new Set(failed.map((a) => a.target.port))].map(String);
  const codes = new Set(failed.map((a) => a.connectionError?.code));
  const advice: string[] = [];
  if (codes.has('CONNECT_REFUSED')) {
    advice.push(
      `nothing listens on port ${list(ports)} at ${list([...new Set(failed.map((a) => a.target.ip))])}: start the homeserver or the reverse proxy listener for that port (a Synapse listener with the federation resource, or "listen ${ports[0] ?? '8448'} ssl;" in nginx) and check that it binds the public address, not only 127.0.0.1`,
    );
  }
  if (codes.has('CONNECT_TIMEOUT')) {
    advice.push(
      `packets to port ${list(ports)} are dropped: open it in the firewall / cloud security group and forward it on the router if the server is behind NAT`,
    );
  }
  if (codes.has('CONNECT_UNREACHABLE'))
    advice.push('there is no route to the address: check that DNS has the right address and that the host is up');
  const all = failed.length === facts.input.addresses.length;
  return [
    {
      id: 'address-unreachable',
      detail: `${all ? (failed.length === 1 ? 'The only address' : 'Every address') : `${failed.length} of ${facts.input.addresses.length} addresses`} cannot be reached: ${failed.map(failureWords).join('; ')}.`,
      fix: `${advice.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()),
    },
  ];
};

function isHtml(contentType: string | null): boolean {
  return contentType !== null && /^text\/html\b/i.test(contentType.trim());
}

/** A web server answers instead of the homeserver: the request is not forwarded for this Host / port. */
function proxyMiss(a: AddressReport): string | null {
  const v = a.version;
  const k = a.keys;
  const missing = (s: number | null): boolean => s === 404 || s === 405 || s === 421;
  if (v !== null && (missing(v.httpStatus) || isHtml(v.contentType) || (v.httpStatus === 200 && !v.ok))) {
    return `GET /_matrix/federation/v1/version on ${describeAddress(a)} with Host ${a.target.hostHeader} answered ${v.httpStatus ?? '?'}${v.contentType !== null ? ` (${v.contentType})` : ''}`;
  }
  if (k !== null && missing(k.httpStatus)) {
    return `GET /_matrix/key/v2/server on ${describeAddress(a)} with Host ${a.target.hostHeader} answered ${k.httpStatus ?? '?'}`;
  }
  return null;
}

/** 404/405/HTML/non-JSON on the federation endpoints: the proxy does not forward this Host and port. */
export const reverseProxyNotForwarding: Rule = (facts) => {
  const misses = facts.input.addresses
    // A firewall answering by User-Agent, or a proxy routing on the other Host form, has a hint of its own.
    .filter((a) => !blockedByUserAgent(a) && !hostFormExplains(a))
    .map((a) => ({ a, what: proxyMiss(a) }))
    .filter((m): m is { a: AddressReport; what: string } => m.what !== null);
  const first = misses[0];
  if (first === undefined) return [];
  const host = first.a.target.hostHeader.replace(/:\d+$/, '');
  const port = first.a.target.port;
  return [
    {
      id: 'reverse-proxy-not-forwarding',
      detail: `${misses.map((m) => m.what).join('; ')}: a web server answers there instead of the homeserver.`,
      fix:
        `Forward /_matrix/ for Host ${host} on port ${port} to the homeserver. nginx: a server block with "listen ${port} ssl;" and "server_name ${host};" ` +
        'containing "location /_matrix { proxy_pass http://127.0.0.1:8008; proxy_set_header Host $host; }"; ' +
        `Caddy: "${host}:${port} { reverse_proxy /_matrix/* localhost:8008 }". In Synapse, the listener needs the "federation" resource. ` +
        `Servers send Host ${first.a.target.hostHeader}: a proxy that matches the Host header exactly must accept that form; ` +
        'and pass the path on unchanged (proxy_pass without a URI part; Apache ProxyPass with nocanon), or ids with encoded characters break.',
    },
  ];
};

/** Server errors, timeouts, resets on the endpoints (not a proxy miss). */
export const federationEndpointError: Rule = (facts) => {
  const seen: string[] = [];
  let gateway = false;
  for (const a of facts.connected) {
    if (proxyMiss(a) !== null || blockedByUserAgent(a)) continue;
    const v = a.version;
    if (v !== null && !v.ok) {
      seen.push(
        `GET /_matrix/federation/v1/version on ${describeAddress(a)}: ${v.error?.message ?? `HTTP ${v.httpStatus ?? '?'}`}`,
      );
      if (v.httpStatus !== null && v.httpStatus >= 502 && v.httpStatus <= 504) gateway = true;
    }
    const k = a.keys;
    if (k !== null && k.httpStatus !== 200 && k.httpStatus !== 404) {
      seen.push(
        `GET /_matrix/key/v2/server on ${describeAddress(a)}: ${k.problems[0]?.message ?? `HTTP ${k.httpStatus ?? '?'}`}`,
      );
      if (k.httpStatus !== null && k.httpStatus >= 502 && k.httpStatus <= 504) gateway = true;
    }
  }
  if (seen.length === 0) return [];
  return [
    {
      id: 'federation-endpoint-error',
      detail: `${seen.join('; ')}.`,
      fix: gateway
        ? "The reverse proxy cannot reach the homeserver (502/503/504): check that the homeserver runs and that proxy_pass points at its listener (Synapse's default is http://127.0.0.1:8008)."
        : "Check the homeserver's log for these requests; the federation endpoints must answer within a few seconds.",
    },
  ];
};

/** The keys belong to another server name: usually `server_name` set to the delegated host. */
export const keysServerNameMismatch: Rule = (facts) => {
  const wrong = facts.connected.filter(
    (a) => a.keys !== null && a.keys.httpStatus === 200 && a.keys.serverName !== null && !a.keys.matchingServerName,
  );
  const first = wrong[0];
  if (first === undefined || first.keys === null) return [];
  const claimed = first.keys.serverName ?? '';
  const claimedHost = claimed.replace(/:\d+$/, '').toLowerCase();
  const delegatedHost = facts.delegated?.host.toLowerCase() ?? null;
  const delegates = facts.delegated !== null || first.target.srv !== null;
  let why = '';
  if (delegatedHost !== null && claimedHost === delegatedHost) {
    why = ` ${claimed} is the host that "m.server" delegates to: the homeserver was set up with the host it runs on as server_name, instead of the name in user IDs.`;
  } else if (first.target.srv !== null && claimedHost === first.target.srv.target.toLowerCase()) {
    why = ` ${claimed} is the SRV target: the homeserver was set up with the host it runs on as server_name.`;
  } else if (first.target.addressOf !== null && claimedHost === first.target.addressOf.toLowerCase()) {
    why = ` ${claimed} is the host servers connect to: the homeserver was set up with it as server_name.`;
  }
  return [
    {
      id: 'keys-server-name-mismatch',
      detail: `${list(wrong.map(describeAddress))} answer${wrong.length === 1 ? 's' : ''} /_matrix/key/v2/server with server_name "${claimed}", but the server name checked is "${facts.serverName}".${why}`,
      fix:
        `If the users of this homeserver are @user:${facts.serverName}, set server_name: "${facts.serverName}" in homeserver.yaml (on a server already in use this ` +
        `means a new database: server_name cannot be changed in place). If they are @user:${claimed}, the server name is ${claimed}: check that name` +
        (delegates ? `, and remove the delegation from ${facts.serverName}.` : '.'),
    },
  ];
};

/** Expired keys, no ed25519 key, bad keys or signatures. */
export const keysInvalid: Rule = (facts) => {
  const bad = facts.connected
    .map((a) => ({
      a,
      problems: (a.keys?.httpStatus === 200 ? a.keys.problems : []).filter(
        (p) => p.code !== 'KEYS_SERVER_NAME_MISMATCH',
      ),
    }))
    .filter((x) => x.problems.length > 0);
  if (bad.length === 0) return [];
  const codes = new Set(bad.flatMap((x) => x.problems.map((p) => String(p.code))));
  const advice: string[] = [];
  if (codes.has('KEYS_EXPIRED')) {
    advice.push(
      "valid_until_ts is in the past: check the server's clock, and make sure no cache or CDN serves an old copy of /_matrix/key/v2/server",
    );
  }
  if (codes.has('KEYS_BAD_SIGNATURE') || codes.has('KEYS_MISSING_SIGNATURE') || codes.has('KEYS_BAD_KEY')) {
    advice.push(
      'the keys are not signed by the key they list: make sure every address reaches the same homeserver and that nothing rewrites the response (a proxy altering JSON breaks the signature)',
    );
  }
  if (codes.has('KEYS_BAD_KEY_ID')) {
    // Server-server API "Retrieving server keys": the version after "ed25519:" matches [a-zA-Z0-9_].
    advice.push(
      'a key id has characters the spec does not allow after "ed25519:" (only letters, digits and "_"): other servers may refuse the key; ' +
        'generate a new signing key with a valid id (Synapse: signing_key_path, the id is the second word of the key file) and keep the old one in old_signing_keys',
    );
  }
  if (codes.has('KEYS_NO_ED25519') || codes.has('KEYS_INVALID_RESPONSE') || codes.has('KEYS_NOT_CANONICAL_JSON')) {
    advice.push("the response is not a homeserver's key response: check that /_matrix/key/ reaches the homeserver");
  }
  if (advice.length === 0) advice.push("check the homeserver's signing key (signing_key_path in Synapse) and its logs");
  return [
    {
      id: 'keys-invalid',
      detail:
        bad.map((x) => `${describeAddress(x.a)}: ${x.problems.map((p) => p.message).join('; ')}`).join('; ') + '.',
      fix: `${advice.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()),
    },
  ];
};

/** The rules of this file, in order. */
export const endpointRules: readonly Rule[] = [
  ipv6Unreachable,
  ipv4Unreachable,
  addressUnreachable,
  reverseProxyNotForwarding,
  federationEndpointError,
  keysServerNameMismatch,
  keysInvalid,
];
