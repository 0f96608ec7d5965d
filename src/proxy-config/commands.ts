// How to run and check a whole configuration file of each web server (Debian paths), for docs, CLI and tests.

import { caddyRunFiles } from './caddy.js';
import type { ServerCommands, WebServerTarget } from './types.js';

/**
 * The commands that run a whole configuration file (`--full`) in the foreground and that only check it.
 *
 * @example
 * ```ts
 * const nginx = serverCommands('nginx', '/tmp/nginx.conf');
 * spawn(nginx.debianPath, [...nginx.run]); // nginx -e stderr -c /tmp/nginx.conf
 * ```
 */
export function serverCommands(target: WebServerTarget, configPath: string, runDir = '/tmp'): ServerCommands {
  switch (target) {
    case 'nginx':
      // -e stderr: log there from the start, before the config's error_log applies (no /var/log needed).
      return {
        binary: 'nginx',
        debianPath: '/usr/sbin/nginx',
        debianPackage: 'nginx',
        run: ['-e', 'stderr', '-c', configPath],
        test: ['-t', '-e', 'stderr', '-c', configPath],
      };
    case 'caddy':
      return {
        binary: 'caddy',
        debianPath: '/usr/bin/caddy',
        debianPackage: 'caddy',
        run: ['run', '--config', configPath, '--adapter', 'caddyfile', '--pidfile', caddyRunFiles(runDir).pidFile],
        test: ['validate', '--config', configPath, '--adapter', 'caddyfile'],
      };
    case 'apache':
      return {
        binary: 'apache2',
        debianPath: '/usr/sbin/apache2',
        debianPackage: 'apache2',
        run: ['-f', configPath, '-DFOREGROUND'],
        test: ['-t', '-f', configPath],
      };
    case 'haproxy':
      return {
        binary: 'haproxy',
        debianPath: '/usr/sbin/haproxy',
        debianPackage: 'haproxy',
        run: ['-f', configPath, '-db'],
        test: ['-c', '-f', configPath],
      };
  }
}
