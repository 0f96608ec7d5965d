// The defaults of every optional `serve` config key, and the built-in config `npm start` runs on.

import type { CacheStoreKind, LogLevel } from './types.js';

/**
 * Defaults of the optional keys, in one place (docs/config.md explains each choice).
 *
 * - `bindAddresses`: Synapse's default, every interface (`::` and `0.0.0.0`), since the keys keep Synapse's
 *   meaning and the documents are public. A dual-stack `::` socket already receives IPv4 on most systems, so
 *   the listener must tolerate `EADDRINUSE` on `0.0.0.0` once `::` is bound (Synapse does the same).
 * - `serverMaxAgeSeconds`: 24 h, the spec's default well-known cache period, inside the [5 min, 48 h] range
 *   Synapse clamps header-derived lifetimes to (ground-truth §2), so remote servers honour it as given.
 * - `clientCacheControl`: Synapse's value for the client document, so clients pick up changes at once.
 * - `supportMaxAgeSeconds`: 1 h; the support document changes rarely and is read rarely.
 * - Tester: off unless enabled (it makes outgoing connections on behalf of whoever asks); per-client rate
 *   limit, global concurrency limit and a short result cache keep it from being used to flood a server.
 * - `cacheStore`: in memory, since one instance needs nothing else. 10 000 results or 16 MiB, whichever comes
 *   first: a check report is 5 to 20 KB of JSON (7 to 13 KB measured on lab checks), so the byte bound
 *   usually decides (one to two thousand results; the tester kept 1000 before the store existed), and a burst
 *   of names cannot grow the heap without end.
 *   `matrix-delegation:` is the Redis store's own default prefix.
 */
export const CONFIG_DEFAULTS = Object.freeze({
  listenerPort: 8080,
  bindAddresses: Object.freeze(['::', '0.0.0.0']) as readonly string[],
  serveServerWellknown: false,
  /** The port `serve_server_wellknown` announces when the server name has none (Synapse: 443). */
  wellKnownServerPort: 443,
  tester: Object.freeze({
    enabled: false,
    rateLimitPerMinute: 10,
    maxInFlight: 8,
    cacheSeconds: 60,
    timeoutMs: 30_000,
  }),
  cache: Object.freeze({
    serverMaxAgeSeconds: 86_400,
    clientCacheControl: 'no-cache, no-store, must-revalidate',
    supportMaxAgeSeconds: 3_600,
  }),
  cacheStore: Object.freeze({
    kind: 'memory' as CacheStoreKind,
    keyPrefix: 'matrix-delegation:',
    maxEntries: 10_000,
    maxBytes: 16 * 1024 * 1024,
  }),
  logging: Object.freeze({ level: 'info' as LogLevel }),
  metrics: Object.freeze({ enabled: false }),
  /**
   * The monitor: a check every 5 minutes (a broken federation is known within 10 minutes at the default of 2
   * failures, while 1,000 names cost about 3 checks a second), an alert after 2 failures in a row (one failed check
   * is often a blip: a restart, a dropped packet), a warning 14 days before a certificate expires (Let's Encrypt
   * renews 30 days before: a certificate 14 days from its end has missed two weeks of renewals), 8 checks at once.
   */
  monitor: Object.freeze({
    intervalSeconds: 300,
    failuresBeforeAlert: 2,
    certificateWarningDays: 14,
    maxInFlight: 8,
  }),
});

/** The label of the built-in config in messages. */
export const DEFAULT_CONFIG_SOURCE = '(built-in default config)';

/**
 * The configuration `npm start` (`serve` without `--config`) runs on: plain HTTP on 127.0.0.1:8080, the
 * federation tester on, and a `localhost` server name whose server document shows what `serve_server_wellknown`
 * produces. Loopback only, because a default must not expose a tester to the network.
 */
export const DEFAULT_CONFIG_YAML = `# Built-in configuration of \`serve\` without --config: a local demo. Copy an example from examples/ to start your own.
server_name: localhost
# Answer /.well-known/matrix/server with {"m.server": "localhost:443"}, as Synapse does.
serve_server_wellknown: true
listeners:
  - port: 8080
    bind_addresses: ['127.0.0.1']
    tls: false
tester:
  enabled: true
`;
