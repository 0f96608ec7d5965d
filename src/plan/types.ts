// Types of a delegation plan: what the admin asks for, what the probe saw, what is decided and what to deploy.

import type { Locale } from '../i18n/index.js';
import type { ErrorCode } from '../errors.js';
import type { WebServerTarget } from '../proxy-config/types.js';

/** How federation traffic is delegated. */
export type DelegationMethod = 'well-known' | 'srv';

/** Every method, for option parsing. */
export const DELEGATION_METHODS: readonly DelegationMethod[] = ['well-known', 'srv'];

/** What the admin gives `plan`. Only `serverName` and `homeserver` are required. */
export interface PlanRequest {
  /** The server name (the part after `:` in user IDs), e.g. `example.com`. */
  readonly serverName: string;
  /** Where the homeserver answers, e.g. `https://matrix.example.com` or `https://matrix.example.com:8448` (https assumed without scheme). */
  readonly homeserver: string;
  /** The method to plan [well-known; SRV only on request]. */
  readonly method?: DelegationMethod;
  /** Also proxy `/_matrix` and `/_synapse/client` to the homeserver at this URL in the web-server snippets [no]. */
  readonly proxyTo?: string | null;
  /** `m.identity_server` of the client document [none]. */
  readonly identityServer?: string | null;
  /** A support contact e-mail address (`m.role.admin`) [none]. */
  readonly supportEmail?: string | null;
  /** A support contact Matrix ID (`m.role.admin`) [none]. */
  readonly supportMatrixId?: string | null;
  /** A support web page [none]. */
  readonly supportPage?: string | null;
  /**
   * The Jitsi Meet server for conferences, a host name (`jitsi.example.com`): written as `im.vector.riot.jitsi`, the
   * name every Element client reads [none].
   */
  readonly jitsiDomain?: string | null;
  /** Encrypt new rooms by default (`io.element.e2ee.default`) [not set: clients decide]. */
  readonly e2eeDefault?: boolean | null;
  /**
   * The https base URL of the LiveKit JWT service for Element Call (MatrixRTC): written as
   * `org.matrix.msc4143.rtc_foci` in the client document and as `matrix_rtc.transports` in the homeserver.yaml lines,
   * the form current clients read [none].
   */
  readonly livekitServiceUrl?: string | null;
  /** Certificate chain of the server name's web server [certbot's /etc/letsencrypt/live/<host>/fullchain.pem]. */
  readonly tlsCertificatePath?: string;
  /** Its private key [certbot's /etc/letsencrypt/live/<host>/privkey.pem]. */
  readonly tlsPrivateKeyPath?: string;
  /** The federation port the snippets open when proxying (and the probe dials) [8448; only tests change it]. */
  readonly federationPort?: number;
  /**
   * The language of the plan's explanations [en]: the decision's reasons and caveats, the probe's summary, the
   * config's warnings, the errors about this request. The generated files (config, snippets, DNS, homeserver.yaml)
   * are the same in every language.
   */
  readonly locale?: Locale;
}

/** One address of the server name, probed on the federation port. */
export interface DirectProbeAddress {
  readonly ip: string;
  readonly port: number;
  /** The TLS handshake: null when no connection could be made (see {@link error}). */
  readonly tls: { readonly trusted: boolean; readonly nameMatches: boolean; readonly problem: string | null } | null;
  /** `GET /_matrix/federation/v1/version`: null when not reached. */
  readonly version: { readonly ok: boolean; readonly server: string | null; readonly problem: string | null } | null;
  /** Why the address could not be used at all (connection refused, denied, ...), or null. */
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
  /** Certificate trusted and valid for the server name, and the version answered. */
  readonly works: boolean;
}

/** What the probe of `server_name:8448` saw (spec server-server API "Resolving server names", step 6). */
export interface DirectProbe {
  /** The host dialled (the server name's host). */
  readonly host: string;
  readonly port: number;
  readonly addresses: readonly DirectProbeAddress[];
  /** Why there are no addresses (DNS), or null. */
  readonly dnsError: { readonly code: ErrorCode; readonly message: string } | null;
  /** At least one address, and every address works. */
  readonly works: boolean;
  /** One sentence for people. */
  readonly summary: string;
}

/** Whether the server name needs delegation. */
export type DelegationVerdict =
  /** The homeserver is not where servers look by default: delegate. */
  | 'needed'
  /** The homeserver answers on `server_name:8448` with a certificate for the server name. */
  | 'not-needed'
  /** The server name is an IP literal or has a port: servers connect there directly, nothing is consulted. */
  | 'not-possible';

/** The decision of {@link decideDelegation}. */
export interface PlanDecision {
  readonly verdict: DelegationVerdict;
  /** Why, in plain words (first the deciding fact). */
  readonly reasons: readonly string[];
  /** The method to use; null unless delegation is needed. */
  readonly method: DelegationMethod | null;
  /** The `m.server` value to serve (well-known method), else null. */
  readonly mServer: string | null;
  /** The SRV target (SRV method), else null. */
  readonly srvTarget: { readonly host: string; readonly port: number } | null;
  /** Synapse itself can serve the server document (`serve_server_wellknown`): the homeserver is on the server name's host, port 443. */
  readonly synapseCanServe: boolean;
  /** Caveats of the method, in plain words. */
  readonly caveats: readonly string[];
}

/** The homeserver address as given, normalised. */
export interface HomeserverAddress {
  /** The client base URL (`public_baseurl`), with a trailing `/`. */
  readonly baseUrl: string;
  /** Host for federation (IPv6 bracketed, DNS names lowercase). */
  readonly host: string;
  /** Port for federation: the URL's, or 443. */
  readonly port: number;
}

/** A complete plan: the decision and everything to deploy it. */
export interface Plan {
  readonly serverName: string;
  /** The server name's host (IPv6 bracketed, DNS names lowercase): where the documents are served, port 443. */
  readonly serverHost: string;
  readonly homeserver: HomeserverAddress;
  /** Null when the probe was skipped. */
  readonly probe: DirectProbe | null;
  readonly decision: PlanDecision;
  /** The three documents' bodies exactly as served, null for those not served. */
  readonly documents: {
    readonly server: string | null;
    readonly client: string | null;
    readonly support: string | null;
  };
  /** A matrix-delegation config (YAML) that serves them. */
  readonly config: string;
  /** Web-server snippets serving the same bytes and headers. */
  readonly snippets: Readonly<Record<WebServerTarget, string>>;
  /** Files a snippet reads (Apache's documents), with their exact content. */
  readonly files: readonly { readonly target: WebServerTarget; readonly path: string; readonly content: string }[];
  /** The SRV record (zone-file syntax) for SRV delegation; null when none can apply. */
  readonly srvRecord: string | null;
  /** The DNS records of the plan (zone-file lines with comments). */
  readonly dns: string;
  /** homeserver.yaml lines. */
  readonly synapse: string;
  /** What to run next, e.g. `matrix-delegation check example.com`. */
  readonly next: readonly string[];
  /** Things worth knowing that are not errors. */
  readonly warnings: readonly string[];
}
