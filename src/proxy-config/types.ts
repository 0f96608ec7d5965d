// Types of the generated web-server, DNS and Synapse snippets: targets, options and the generated result.

/** Every target of `matrix-delegation config`. */
export const PROXY_TARGETS = ['nginx', 'caddy', 'apache', 'haproxy', 'dns', 'synapse'] as const;

/** A target of `matrix-delegation config`. */
export type ProxyTarget = (typeof PROXY_TARGETS)[number];

/** The targets that are web servers (they serve the documents and can run a whole configuration file). */
export const WEB_SERVER_TARGETS = ['nginx', 'caddy', 'apache', 'haproxy'] as const;

/** A web-server target. */
export type WebServerTarget = (typeof WEB_SERVER_TARGETS)[number];

/** Options of the generators. Every field is optional; defaults in brackets. */
export interface ProxyConfigOptions {
  /**
   * Also proxy `/_matrix` and `/_synapse/client` to the homeserver at this URL (`http://127.0.0.1:8008`,
   * `https://synapse.internal:8448`; scheme, host and port only) [none: the documents only].
   */
  readonly proxyTo?: string | null;
  /**
   * With {@link proxyTo}: also accept federation on this TLS port, the spec's default federation port, on the
   * addresses of the TLS listeners [8448]; null adds no listener.
   */
  readonly federationPort?: number | null;
  /**
   * Where the document files live: Apache always serves the documents from files, Caddy when a body cannot be
   * written in a Caddyfile (it holds a backtick or `{$`) [/var/www/matrix-delegation].
   */
  readonly documentsDir?: string;
  /**
   * HAProxy: one PEM file holding the certificate chain and the private key, which HAProxy needs
   * [the certificate path when the key is in it or next to it as `<certificate>.key`, else
   * `/etc/haproxy/certs/<server name host>.pem`].
   */
  readonly haproxyPemPath?: string;
  /** dns: the SRV target `host[:port]` (port default 8448) [the delegation target, else public_baseurl's host and port]. */
  readonly srvTarget?: string;
  /** Web servers: a whole configuration file that the server runs as it is, instead of the snippet [false]. */
  readonly full?: boolean;
  /** With {@link full}: the directory of the pid file and of the server's runtime files [/tmp]. */
  readonly runDir?: string;
}

/** A file a generated configuration reads, with the exact bytes it must hold. */
export interface DocumentFile {
  /** Which document it holds. */
  readonly document: 'server' | 'client' | 'support';
  /** Absolute path. */
  readonly path: string;
  /** The exact bytes (the same as `matrix-delegation serve` sends). */
  readonly content: Buffer;
}

/** Commands that run and test a whole configuration file of a web server (see `serverCommands`). */
export interface ServerCommands {
  /** The program, e.g. `nginx`. */
  readonly binary: string;
  /** Where Debian installs it, e.g. `/usr/sbin/nginx`. */
  readonly debianPath: string;
  /** The Debian package, e.g. `nginx`. */
  readonly debianPackage: string;
  /** Arguments that run the file in the foreground (after the binary). */
  readonly run: readonly string[];
  /** Arguments that only check the file (after the binary). */
  readonly test: readonly string[];
}

/** What a generator produced. */
export interface GeneratedConfig {
  readonly target: ProxyTarget;
  /** The configuration text, ready to paste (or, with `full`, to save and run). */
  readonly text: string;
  /** Files the configuration reads that must exist with exactly these bytes (Apache's documents, Caddy's fallback). */
  readonly files: readonly DocumentFile[];
}
