// A real HAProxy balancing plain HTTP over several `serve` instances on loopback: for the tests and the soak.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverCommands } from '../src/proxy-config/index.js';
import { findServerBinary, startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';

/** One instance behind the balancer. */
export interface BalancerBackend {
  /** A short name (letters, digits, dashes): HAProxy's server name, sent back in `x-served-by`. */
  readonly name: string;
  readonly port: number;
  /** [127.0.0.1] */
  readonly host?: string;
}

/** Options of {@link startHaproxyBalancer}. */
export interface HaproxyBalancerOptions {
  readonly backends: readonly BalancerBackend[];
  /** The port HAProxy listens on (127.0.0.1). */
  readonly port: number;
  /** Where the config and the log go. */
  readonly dir: string;
  /** HAProxy's `timeout server` (how long an answer may take), ms [60000]. */
  readonly serverTimeoutMs?: number;
}

/** A running balancer. */
export interface HaproxyBalancer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly process: ServerProcess;
  /** The header that picks an instance (its value: a backend's name); without it, round robin. */
  readonly pickHeader: string;
  stop(): Promise<void>;
}

/**
 * The haproxy.cfg: round robin over the backends, each request on its own (HTTP mode), `X-Forwarded-For` with the
 * client's address (`option forwardfor`: the instances' listeners need `x_forwarded: true`), the instance that
 * answered in `x-served-by`, and a request header `x-backend: <name>` that sends a request to one instance.
 */
export function haproxyBalancerConfig(options: HaproxyBalancerOptions): string {
  const serverTimeout = options.serverTimeoutMs ?? 60_000;
  const lines = [
    'global',
    '  maxconn 4096',
    '  log stderr format raw local0 warning',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  option forwardfor',
    '  option http-keep-alive',
    '  timeout connect 2s',
    '  timeout client 60s',
    `  timeout server ${serverTimeout}ms`,
    '  timeout http-request 10s',
    '',
    'frontend tester',
    `  bind 127.0.0.1:${options.port}`,
    '  default_backend instances',
    '',
    'backend instances',
    '  balance roundrobin',
    '  http-response set-header x-served-by %s',
    ...options.backends.map((b) => `  use-server ${b.name} if { req.hdr(x-backend) -m str ${b.name} }`),
    ...options.backends.map((b) => `  server ${b.name} ${b.host ?? '127.0.0.1'}:${b.port}`),
    '',
  ];
  return lines.join('\n');
}

/**
 * Writes the config into `dir` and starts Debian's haproxy (`-db`: in the foreground) in its own process group,
 * waiting until it listens. Fails, never skips, when haproxy is missing (naming scripts/setup-system.sh).
 *
 * @example
 * ```ts
 * const lb = await startHaproxyBalancer({ backends: [{ name: 'a', port: 8081 }, { name: 'b', port: 8082 }], port: 8080, dir });
 * await fetch(`${lb.url}api/federation-ok?server_name=example.org`, { headers: { [lb.pickHeader]: 'a' } });
 * ```
 */
export async function startHaproxyBalancer(options: HaproxyBalancerOptions): Promise<HaproxyBalancer> {
  const configPath = join(options.dir, 'haproxy-balancer.cfg');
  writeFileSync(configPath, haproxyBalancerConfig(options));
  const binary = findServerBinary(serverCommands('haproxy', configPath, options.dir));
  const process = await startServerProcess(binary, ['-f', configPath, '-db'], {
    ports: [{ host: '127.0.0.1', port: options.port }],
    logFile: join(options.dir, 'haproxy-balancer.log'),
    cwd: options.dir,
  });
  return {
    url: `http://127.0.0.1:${options.port}/`,
    process,
    pickHeader: 'x-backend',
    stop: () => process.stop(),
  };
}
