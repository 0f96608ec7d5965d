// The `request` command's work: one federation request through the client, printed (loaded by commands/request.ts on use).

import { createFederationClient } from '../../client/federation-client.js';
import type { FederationClient } from '../../client/federation-client.js';
import { terminalJson } from '../../report/terminal-text.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { networkOptions, openCacheStore } from '../network-options.js';
import { compileForQuickExit } from '../quick-exit.js';
import type { RequestFlags } from './request-flags.js';

/** Makes the request the command line describes, prints the answer, and sets the exit code. */
export async function runRequestCommand(serverName: string, path: string, flags: RequestFlags, io: CliIo, setExit: (code: number) => void): Promise<void> {
  const options = await networkOptions(flags);
  await compileForQuickExit();
  const store = await openCacheStore(flags, io);
  try {
    // Given the shared cache, the client leaves it open: it is closed last, after the client.
    const client = createFederationClient({
      ...options,
      ...(flags.timeoutMs ? { connectTimeoutMs: flags.timeoutMs, requestTimeoutMs: flags.timeoutMs } : {}),
      ...(store ? { cache: store.cache } : {}),
    });
    try {
      await requestOnce(client, serverName, path, flags, io, setExit);
    } finally {
      await client.close();
    }
  } finally {
    await store?.close();
  }
}

/** Makes the request and prints the answer; sets the exit code. */
async function requestOnce(
  client: FederationClient,
  serverName: string,
  path: string,
  flags: RequestFlags,
  io: CliIo,
  setExit: (code: number) => void,
): Promise<void> {
  const response = await client.fetch(serverName, path, { method: flags.method.toUpperCase() });
  if (flags.json) {
    const text = response.body.toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    const t = response.target;
    const target = { step: t.step, ip: t.ip, port: t.port, hostHeader: t.hostHeader, tlsServerName: t.tlsServerName, sni: t.sni };
    io.stdout(terminalJson({ target, status: response.status, headers: response.headers, body }, 2) + '\n');
  } else {
    io.stdout(response.body.toString('utf8'));
  }
  if (response.status < 200 || response.status > 299) {
    io.stderr(`error HTTP_ERROR: ${serverName} answered ${response.status} for ${path}\n`);
    setExit(EXIT.failure);
  } else {
    setExit(EXIT.ok);
  }
}
