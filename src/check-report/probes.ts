// The probes' part of a check report: the extra evidence some hints need (SRV both ways, port 443, misplaced well-knowns).

import type { SrvRecord } from '../dns/types.js';
import type { ErrorCode } from '../errors.js';
import type { WellKnownFetchStatus } from '../well-known/types.js';
import type { AnswerHeaders, BrowserRetry, EncodedPathProbe, SrvMistakeProbe, TargetHttpsProbe } from './field.js';
import type { CheckProblem } from './problem.js';

/** The two SRV services of server discovery: the current one and the deprecated one (spec steps 3.3/3.4, 4/5). */
export type SrvService = '_matrix-fed._tcp' | '_matrix._tcp';

/** One SRV question asked by the probes, whatever the resolver asked. */
export interface SrvProbe {
  /** The host the records are for (the server name's host or the delegated host). */
  readonly host: string;
  readonly service: SrvService;
  /** `<service>.<host>`. */
  readonly name: string;
  /** The records (empty for NXDOMAIN / no records, or on an error). */
  readonly records: readonly SrvRecord[];
  /** A real DNS failure (SERVFAIL, timeout), or null; "no records" is not an error. */
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
}

/**
 * The federation API asked on the HTTPS port of a host that resolution sent to the default port (steps 3.5 and 6):
 * the evidence for "`m.server` lacks `:443`".
 */
export interface HttpsPortProbe {
  /** The host (the delegated host, or the server name's host). */
  readonly host: string;
  readonly ip: string;
  /** The HTTPS port asked (443 outside tests). */
  readonly port: number;
  /** The Host header sent: what `{"m.server": "<host>:<port>"}` would make servers send. */
  readonly hostHeader: string;
  /** `GET /_matrix/federation/v1/version` answered 200 with a JSON `server` object. */
  readonly ok: boolean;
  readonly httpStatus: number | null;
  /** `server.name` of the answer (e.g. `Synapse`), when there was one. */
  readonly software: string | null;
  readonly error: CheckProblem | null;
  /** What the answer's headers say answered it (a CDN, a firewall); null when no answer came. */
  readonly answer?: AnswerHeaders | null;
}

/** The server well-known looked for where admins sometimes put it by mistake. */
export interface WellKnownElsewhereProbe {
  /** The URL as an admin would write it (the port shown unless it is 443). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Why this place was tried: the federation port, a conventional sub-domain, or an SRV target. */
  readonly reason: 'federation-port' | 'subdomain' | 'srv-target';
  readonly status: WellKnownFetchStatus;
  readonly mServer: string | null;
  readonly detail: string;
}

/** The body of an invalid server well-known, re-read to say what it really is. */
export interface WellKnownBodyProbe {
  readonly url: string;
  readonly httpStatus: number | null;
  readonly contentType: string | null;
  /** Bytes read (at most the fetch limit). */
  readonly bytes: number;
  /** Starts with the UTF-8 byte order mark EF BB BF. */
  readonly hasBom: boolean;
  /** Looks like an HTML page (starts with `<`, after white space and a BOM). */
  readonly looksLikeHtml: boolean;
  /** The first characters, control characters replaced, for the hint's detail. */
  readonly start: string;
}

/** Everything the probes found. Each part is empty / null when it did not apply. */
export interface ProbeReport {
  /** `_matrix-fed._tcp` and `_matrix._tcp` on the server name's host and on the delegated host (names without a port). */
  readonly srv: readonly SrvProbe[];
  /** The federation API on the HTTPS port when resolution sent servers to the default port; null when not asked. */
  readonly httpsPort: HttpsPortProbe | null;
  /** The server well-known on the federation port, `matrix.` / `www.` and SRV targets, when the real one did not delegate. */
  readonly wellKnownElsewhere: readonly WellKnownElsewhereProbe[];
  /** The body of the server well-known when it was served but invalid; null otherwise. */
  readonly wellKnownBody: WellKnownBodyProbe | null;
  /**
   * The HTTPS port of the target hosts that resolution sends to another port (at most two hosts, not the one
   * `httpsPort` asks): what answers there, a CDN's headers included. Set by `checkServer` (empty when not asked).
   */
  readonly targetHttps?: readonly TargetHttpsProbe[];
  /**
   * The server well-known fetched again with a browser's User-Agent, when its first answer was 401, 403, 429, 503 or
   * an HTML page; null otherwise. Set by `checkServer`.
   */
  readonly wellKnownBrowserRetry?: BrowserRetry | null;
  /**
   * SRV questions under the names a DNS panel makes by mistake (the zone twice, `_udp`, a misspelt service), asked
   * when resolution found no usable SRV record and no delegating well-known. Set by `checkServer`.
   */
  readonly srvMistakes?: readonly SrvMistakeProbe[];
  /** The same unsigned request with and without an encoded slash in the path, on the first target. Set by `checkServer`. */
  readonly encodedPath?: EncodedPathProbe | null;
}

/** An empty report, for checks where nothing applies. */
export const NO_PROBES: ProbeReport = Object.freeze({
  srv: [],
  httpsPort: null,
  wellKnownElsewhere: [],
  wellKnownBody: null,
  targetHttps: [],
  wellKnownBrowserRetry: null,
  srvMistakes: [],
  encodedPath: null,
});
