// `matrix-delegation config <target> --from CONFIG`: the nginx, Caddy, Apache, HAProxy, DNS or Synapse snippet of a config.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Argument, InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { Locale } from '../../i18n/locale.js';
import { PROXY_TARGETS } from '../../proxy-config/types.js';
import type { GeneratedConfig, ProxyConfigOptions, ProxyTarget } from '../../proxy-config/index.js';
import { cliText } from '../cli-texts.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { localeOf } from '../lang-flag.js';
import { printError } from '../print-error.js';

interface ConfigFlags {
  readonly from: string;
  readonly full?: boolean;
  readonly proxyTo?: string;
  /** A number, or false from --no-federation-port. */
  readonly federationPort?: number | false;
  readonly documentsDir?: string;
  readonly haproxyPem?: string;
  readonly srvTarget?: string;
  readonly runDir?: string;
  readonly writeDocuments?: boolean;
  readonly json?: boolean;
}

/** A parser of `--federation-port`, refusing a value in the command's language. */
function port(command: Command) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > 65535)
      throw new InvalidArgumentError(cliText(localeOf(command), 'port', { flag: '--federation-port', value }));
    return n;
  };
}

/** The generator options the flags ask for. */
function optionsOf(flags: ConfigFlags): ProxyConfigOptions {
  return {
    ...(flags.full ? { full: true } : {}),
    ...(flags.proxyTo ? { proxyTo: flags.proxyTo } : {}),
    ...(flags.federationPort === false
      ? { federationPort: null }
      : flags.federationPort !== undefined
        ? { federationPort: flags.federationPort }
        : {}),
    ...(flags.documentsDir ? { documentsDir: flags.documentsDir } : {}),
    ...(flags.haproxyPem ? { haproxyPemPath: flags.haproxyPem } : {}),
    ...(flags.srvTarget ? { srvTarget: flags.srvTarget } : {}),
    ...(flags.runDir ? { runDir: flags.runDir } : {}),
  };
}

/** Writes the document files a snippet reads, creating their directories. */
function writeDocuments(io: CliIo, generated: GeneratedConfig, locale: Locale): void {
  if (generated.files.length === 0) {
    // The `note:` and `warning:` prefixes stay as they are in every language, like `error CODE:`.
    io.stderr(`note: ${cliText(locale, 'documentsInline', { target: generated.target })}\n`);
    return;
  }
  for (const file of generated.files) {
    mkdirSync(dirname(file.path), { recursive: true, mode: 0o755 });
    writeFileSync(file.path, file.content, { mode: 0o644 });
    io.stderr(`${cliText(locale, 'wroteFile', { path: file.path, bytes: file.content.byteLength })}\n`);
  }
}

/** Registers `config`; its action sets `setExit` (0 printed, 2 when the config is refused). */
export function registerConfig(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program.command('config');
  command
    .description(
      'print the nginx, Caddy, Apache or HAProxy configuration, DNS records or homeserver.yaml lines that serve a matrix-delegation config',
    )
    .addArgument(new Argument('<target>', 'what to print').choices(PROXY_TARGETS))
    .requiredOption('--from <config>', 'the matrix-delegation config (YAML) to serve')
    .option(
      '--full',
      'web servers: a whole configuration file that runs as it is (global sections, logs to stderr, pid file under /tmp)',
    )
    .option(
      '--proxy-to <url>',
      'also proxy /_matrix and /_synapse/client to the homeserver at this URL (e.g. http://127.0.0.1:8008)',
    )
    .option(
      '--federation-port <port>',
      'with --proxy-to: also listen (TLS) on this federation port (default 8448)',
      port(command),
    )
    .option('--no-federation-port', 'with --proxy-to: no extra federation listener')
    .option(
      '--documents-dir <dir>',
      'where document files live (Apache; Caddy for bodies a Caddyfile cannot hold) (default /var/www/matrix-delegation)',
    )
    .option('--haproxy-pem <path>', 'HAProxy: the PEM file holding certificate chain and key')
    .option('--srv-target <host[:port]>', 'dns: the SRV record target (port default 8448)')
    .option('--run-dir <dir>', 'with --full: directory of the pid file and runtime files (default /tmp)')
    .option(
      '--write-documents',
      'also write the document files the snippet reads (Apache; Caddy for bodies a Caddyfile cannot hold)',
    )
    .option('--json', 'print {target, text, files, warnings} as JSON')
    .action(async (target: ProxyTarget, flags: ConfigFlags) => {
      // The generators and the YAML loader are loaded on use, so that `--help` and the other commands start fast.
      const [{ generateProxyConfig, loadConfigForSnippets }, { formatConfigErrors }] = await Promise.all([
        import('../../proxy-config/index.js'),
        import('../../config/index.js'),
      ]);
      const locale = localeOf(command);
      // The config's errors and warnings in the chosen language; the snippets are the same in every language.
      const loaded = await loadConfigForSnippets(flags.from, { locale });
      if (!loaded.ok) {
        printError(io, 'INVALID_CONFIG', formatConfigErrors(loaded.errors, flags.from, locale).trimEnd(), {
          multiline: true,
        });
        setExit(EXIT.usage);
        return;
      }
      // Options a target cannot honour throw INVALID_ARGUMENT: runCli reports them as usage errors (exit 2).
      const generated = generateProxyConfig(target, loaded.config, optionsOf(flags));
      if (flags.writeDocuments) writeDocuments(io, generated, locale);
      if (flags.json) {
        const files = generated.files.map((f) => ({
          document: f.document,
          path: f.path,
          content: f.content.toString('utf8'),
        }));
        io.stdout(`${JSON.stringify({ target, text: generated.text, files, warnings: loaded.warnings }, null, 2)}\n`);
      } else {
        for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
        io.stdout(generated.text);
      }
      setExit(EXIT.ok);
    });
}
