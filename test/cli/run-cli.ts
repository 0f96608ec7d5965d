// Shared by the CLI tests: run the command line in-process with captured output, and the flags that point it at a lab.

import type { Readable } from 'node:stream';
import type { CliIo, CliTty } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import type { Lab } from '../../src/testing/index.js';

/** What one command line printed, its exit code, and how long it ran. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** What the command line sees besides its arguments. */
export interface CliRunOptions {
  readonly env?: Record<string, string>;
  readonly isTTY?: CliTty;
  readonly stdin?: Readable;
}

/** Runs `runCli(argv)` with an io that captures stdout and stderr (an empty environment unless given). */
export async function runCapture(argv: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: options.env ?? {},
    ...(options.isTTY ? { isTTY: options.isTTY } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
  };
  const started = Date.now();
  const code = await runCli(argv, io);
  return { code, stdout, stderr, ms: Date.now() - started };
}

/**
 * The flags pointing the CLI at `lab`: its DNS server(s), CA file, port roles, a timeout, and an allow-list of the
 * lab hosts' own addresses only (not all of 127.0.0.0/8, so the deny-list still bites for other loopback addresses).
 */
export function labCliFlags(
  lab: Lab,
  caFile: string,
  options: { readonly dnsServers?: readonly string[]; readonly timeoutMs?: number } = {},
): string[] {
  const dns = (options.dnsServers ?? [lab.dns.server]).flatMap((s) => ['--dns-server', s]);
  const allow = Object.values(lab.hosts).flatMap((h) => ['--allow-network', `${h.address}/32`]);
  return [
    ...dns,
    ...allow,
    '--ca-file',
    caFile,
    '--well-known-port',
    String(lab.ports.https),
    '--federation-port',
    String(lab.ports.federation),
    '--timeout-ms',
    String(options.timeoutMs ?? 5000),
  ];
}
