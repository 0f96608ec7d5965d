// The `request` command's work: one federation request through the client, printed (loaded by commands/request.ts on use).

import { createFederationClient } from '../../client/federation-client.js';
import type { FederationClient } from '../../client/federation-client.js';
import { MatrixDelegationError } from '../../errors.js';
import { loadSigningKey } from '../../keys/signing-key.js';
import { readRegularFile } from '../../net/regular-file.js';
import { terminalJson } from '../../report/terminal-text.js';
import { cliText } from '../cli-texts.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { networkOptions, openCacheStore } from '../network-options.js';
import { printError } from '../print-error.js';
import { compileForQuickExit } from '../quick-exit.js';
import type { RequestFlags } from './request-flags.js';

/** Makes the request the command line describes, prints the answer, and sets the exit code. */
export async function runRequestCommand(
  serverName: string,
  path: string,
  flags: RequestFlags,
  io: CliIo,
  setExit: (code: number) => void,
): Promise<void> {
  const options = await networkOptions(flags);
  const signing = await signingOptions(flags);
  const body = await requestBody(flags);
  await compileForQuickExit();
  const store = await openCacheStore(flags, io);
  try {
    // Given the shared cache, the client leaves it open: it is closed last, after the client.
    const client = createFederationClient({
      ...options,
      ...signing,
      ...(flags.timeoutMs ? { connectTimeoutMs: flags.timeoutMs, requestTimeoutMs: flags.timeoutMs } : {}),
      ...(store ? { cache: store.cache } : {}),
    });
    try {
      await requestOnce(client, serverName, path, flags, body, io, setExit);
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
  data: { readonly json?: unknown },
  io: CliIo,
  setExit: (code: number) => void,
): Promise<void> {
  const method = (flags.method ?? (data.json === undefined ? 'GET' : 'POST')).toUpperCase();
  // The body is read whole (at most the client's former 16 MiB) before anything is printed, as before 0.2.0.
  const response = await client.fetch(serverName, path, { method, ...data, maxBytes: MAX_RESPONSE_BYTES });
  const text = await response.text();
  if (flags.json) {
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    const t = response.target;
    const target = {
      step: t.step,
      ip: t.ip,
      port: t.port,
      hostHeader: t.hostHeader,
      tlsServerName: t.tlsServerName,
      sni: t.sni,
    };
    // The Authorization header sent (a signature: the key never leaves the process), only when the request was signed.
    const authorization = response.authorization === null ? {} : { authorization: response.authorization };
    io.stdout(
      terminalJson(
        { target, status: response.status, headers: headerRecord(response.headers), body, ...authorization },
        2,
      ) + '\n',
    );
  } else {
    io.stdout(text);
  }
  if (response.status < 200 || response.status > 299) {
    printError(io, 'HTTP_ERROR', cliText(flags.locale, 'httpError', { serverName, status: response.status, path }));
    setExit(EXIT.failure);
  } else {
    setExit(EXIT.ok);
  }
}

/** The most response body bytes read (the federation client's default limit before its fetch streamed). */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** The largest --data-file read: a federation transaction is at most 50 PDUs and 100 EDUs of 64 KiB. */
const MAX_DATA_FILE_BYTES = 16 * 1024 * 1024;

/** --origin and --signing-key: both or neither; the key file is read here (errors name the file, never the seed). */
async function signingOptions(
  flags: RequestFlags,
): Promise<{ origin?: string; signingKey?: Awaited<ReturnType<typeof loadSigningKey>> }> {
  if (flags.origin === undefined && flags.signingKey === undefined) return {};
  if (flags.origin === undefined || flags.signingKey === undefined) {
    throw new MatrixDelegationError('INVALID_ARGUMENT', cliText(flags.locale, 'originWithKey'), {
      detail: { option: flags.origin === undefined ? '--origin' : '--signing-key' },
    });
  }
  return { origin: flags.origin, signingKey: await loadSigningKey(flags.signingKey) };
}

/** --data or --data-file as a JSON value (the client signs the parsed JSON), or no body. */
async function requestBody(flags: RequestFlags): Promise<{ readonly json?: unknown }> {
  if (flags.data !== undefined && flags.dataFile !== undefined) {
    throw new MatrixDelegationError('INVALID_ARGUMENT', cliText(flags.locale, 'dataWithDataFile'), {
      detail: { option: '--data-file' },
    });
  }
  let text: string;
  let source: string;
  if (flags.data !== undefined) {
    text = flags.data;
    source = '--data';
  } else if (flags.dataFile !== undefined) {
    source = `--data-file ${flags.dataFile}`;
    try {
      text = await readRegularFile(flags.dataFile, { maxBytes: MAX_DATA_FILE_BYTES });
    } catch (cause) {
      const why = (cause as Error).message;
      throw new MatrixDelegationError('INVALID_ARGUMENT', cliText(flags.locale, 'unreadableData', { source, why }), {
        cause,
        detail: { option: '--data-file' },
      });
    }
  } else {
    return {};
  }
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (cause) {
    const why = (cause as Error).message;
    throw new MatrixDelegationError('INVALID_ARGUMENT', cliText(flags.locale, 'dataNotJson', { source, why }), {
      cause,
      detail: { option: source.split(' ')[0] },
    });
  }
}

/** Response headers as the --json output has always shown them: name -> value, a repeated Set-Cookie as a list. */
function headerRecord(headers: Headers): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [name, value] of headers) record[name] = value;
  const cookies = headers.getSetCookie();
  if (cookies.length > 1) record['set-cookie'] = cookies;
  return record;
}
