// Field observations of a check report: what answered (a CDN, a firewall, a proxy), the retries that tell them apart.

import type { SrvRecord } from '../dns/types.js';
import type { ErrorCode } from '../errors.js';
import type { CheckProblem } from './problem.js';

/**
 * The headers of an answer that say what answered it: the web server, proxy or CDN in front of the homeserver.
 * Values are bounded to 256 characters; null when the header was not sent.
 */
export interface AnswerHeaders {
  /** `Server` (`cloudflare`, `nginx`, ...). */
  readonly server: string | null;
  /** `CF-Ray`: Cloudflare puts it on every answer it proxies. */
  readonly cfRay: string | null;
  /** `cf-mitigated`: `challenge` when Cloudflare answered with a bot challenge instead of forwarding the request. */
  readonly cfMitigated: string | null;
  /** `Content-Type`. */
  readonly contentType: string | null;
}

/** Why a request was repeated with a browser's User-Agent. */
export type BrowserRetryTrigger = 'status' | 'html';

/**
 * One request repeated once with a browser's User-Agent, because its first answer was 401, 403, 429 or 503, or an
 * HTML page: what a firewall or bot protection answers to clients it takes for robots. Nothing else is retried.
 */
export interface BrowserRetry {
  /** The path asked (`/_matrix/federation/v1/version`, `/_matrix/key/v2/server`, `/.well-known/matrix/server`). */
  readonly path: string;
  /** What made the first answer suspect. */
  readonly trigger: BrowserRetryTrigger;
  /** The first answer's status and Content-Type (sent with this checker's own User-Agent). */
  readonly firstStatus: number | null;
  readonly firstContentType: string | null;
  /** The User-Agent of the second request. */
  readonly userAgent: string;
  /** The second answer's status, or null when none came. */
  readonly httpStatus: number | null;
  /** The second answer's headers, or null when none came. */
  readonly answer: AnswerHeaders | null;
  /**
   * The second answer differs from the first: another status, or not an HTML page where the first was. True means
   * the server answers by User-Agent: a rule that blocks clients it takes for robots, homeservers included.
   */
  readonly differs: boolean;
  /** Why the second request got no answer, or null. */
  readonly error: CheckProblem | null;
}

/**
 * The version request repeated with the other form of the Host header: without the port when servers send
 * `host:port` (a delegation that names a port), with it otherwise. Asked only when the first answer looked like a
 * web server's instead of the homeserver's (404, 405, 421, an HTML page, not JSON).
 */
export interface HostFormRetry {
  /** The Host header sent the first time (the target's) and the second time. */
  readonly firstHostHeader: string;
  readonly hostHeader: string;
  readonly httpStatus: number | null;
  /** The second request was answered by the federation API (200, a JSON object with `server`). */
  readonly ok: boolean;
  readonly error: CheckProblem | null;
}

/** The requests repeated on one address to tell a firewall or a proxy's routing from a missing homeserver. */
export interface AddressRetries {
  /** The version and key requests repeated with a browser's User-Agent (only those whose answer was suspect). */
  readonly browser: readonly BrowserRetry[];
  /** The version request with the other Host form, or null when its first answer was the homeserver's. */
  readonly hostForm: HostFormRetry | null;
}

/**
 * The HTTPS port of a host that resolution sends to another port (8448, an SRV port): what answers there. A CDN
 * that proxies the host's records answers on 443 with its own headers while the other port hangs.
 */
export interface TargetHttpsProbe {
  /** The target host (the certificate name servers check). */
  readonly host: string;
  readonly ip: string;
  /** The HTTPS port asked (443 outside tests). */
  readonly port: number;
  /** The Host header sent: `host:port`, what `{"m.server": "<host>:<port>"}` would make servers send. */
  readonly hostHeader: string;
  readonly httpStatus: number | null;
  /** `GET /_matrix/federation/v1/version` answered 200 with a JSON `server` object there. */
  readonly ok: boolean;
  readonly answer: AnswerHeaders | null;
  readonly error: CheckProblem | null;
}

/** The usual ways an SRV record is misnamed in a DNS provider's panel. */
export type SrvMistake =
  /** The zone appended to a name that already had it: `_matrix-fed._tcp.example.com.example.com`. */
  | 'zone-repeated'
  /** The protocol label is not `_tcp`: `_matrix-fed._udp.example.com`. */
  | 'wrong-protocol'
  /** The service label is misspelt: `_matrix_fed._tcp`, `_matrix-federation._tcp`. */
  | 'wrong-service';

/** An SRV question asked under a misnamed name, when resolution found no usable SRV record. */
export interface SrvMistakeProbe {
  /** The host whose records were meant (the server name's host, or the delegated host). */
  readonly host: string;
  /** The name asked. */
  readonly name: string;
  /** The name servers look up instead. */
  readonly intended: string;
  readonly mistake: SrvMistake;
  /** The records found there (empty for none). */
  readonly records: readonly SrvRecord[];
  /** A real DNS failure (SERVFAIL, timeout), or null; "no records" is not an error. */
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
}

/** One answer of the encoded-path probe. */
export interface PathAnswer {
  /** The request path sent, as sent (percent-encoded). */
  readonly path: string;
  readonly httpStatus: number | null;
  /** `errcode` of a JSON error answer (`M_UNAUTHORIZED`, `M_UNRECOGNIZED`, ...), or null. */
  readonly errcode: string | null;
  readonly error: CheckProblem | null;
}

/**
 * Two unsigned requests for an event, one id plain and one with an encoded slash (`%2F`), as room and event ids
 * carry: a homeserver answers both alike (401, no signature), while a proxy that decodes or rewrites the path
 * (nginx `proxy_pass` with a URI part, Apache without `nocanon`) sends the second one somewhere else.
 */
export interface EncodedPathProbe {
  /** The address asked (`ip:port`) and the Host header sent. */
  readonly address: string;
  readonly hostHeader: string;
  readonly plain: PathAnswer;
  readonly encoded: PathAnswer;
}
