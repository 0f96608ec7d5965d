// Soak case 7: connections that never get anywhere (silent TLS and plain, half ClientHellos), the per-client bound, reloads that name a FIFO or /dev/zero, and SIGTERM with all of them open.

import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigOrThrow } from '../src/config/index.js';
import type { ServeConfig } from '../src/config/index.js';
import { createServerLogger } from '../src/server/logger.js';
import { startServer } from '../src/server/serve.js';
import { createCertificateAuthority } from '../src/testing/index.js';
import type { LabCertificate, LabCertificateAuthority } from '../src/testing/index.js';
import { requestOnce, startGoodClient } from './good-client.js';
import type { GoodClientStats } from './good-client.js';
import { CPU, freePort, spawnServe } from './processes.js';
import type { ServeChild } from './processes.js';
import { formatCount } from './report.js';
import type { SoakCaseResult, SoakRow } from './report.js';
import { readRssKib } from './rss.js';
import { HALF_CLIENT_HELLO, openSilent, socketCount, waitUntil } from './silent-clients.js';
import type { SilentConnection, SilentOptions } from './silent-clients.js';

const NAME = '8. connections';
/** The documented bounds (docs/serve.md): handshake and first headers 10 s, 1 s to read a 408, shutdown 10 s, 64 per client. */
const HANDSHAKE_S = 10;
const HEADERS_S = 10;
const LINGER_S = 1;
const SHUTDOWN_S = 10;
const PER_ADDRESS = 64;
/** Timer and event-loop slack allowed on top of a bound with hundreds of connections on a shared machine. */
const SLACK_S = 0.5;

/** Settings of the case. */
export interface ConnectionsSettings {
  readonly silentTls: number;
  readonly halfHellos: number;
  readonly silentPlain: number;
  /** Plain connections that read, so that the client sees its 408 and the close. */
  readonly readingPlain: number;
}

/** The soak's settings: 200 silent TLS, 50 half ClientHellos, 200 silent plain (never reading) and 50 reading. */
export const CONNECTIONS_DEFAULTS: ConnectionsSettings = {
  silentTls: 200,
  halfHellos: 50,
  silentPlain: 200,
  readingPlain: 50,
};

function configYaml(plainPort: number, tlsPort: number, certPath: string, keyPath: string): string {
  return `server_name: example.org
delegation_target: matrix.example.org:443
listeners:
  - port: ${plainPort}
    bind_addresses: ['127.0.0.1']
  - port: ${tlsPort}
    bind_addresses: ['127.0.0.1']
    tls: true
tls_certificate_path: ${certPath}
tls_private_key_path: ${keyPath}
logging:
  level: info
`;
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** Seconds from now until `s` closes (the client reads, so it sees the server's close), with what the server sent. */
function lifetime(s: SilentConnection): Promise<{ seconds: number; text: string }> {
  const started = performance.now();
  let text = '';
  s.socket.on('data', (chunk: Buffer) => {
    if (text.length < 64) text += chunk.toString('latin1');
  });
  return new Promise((resolve) =>
    s.socket.once('close', () => resolve({ seconds: (performance.now() - started) / 1000, text })),
  );
}

/** `count` connections spread over client addresses `prefix.1`, `prefix.2`, ... (at most `perAddress` each). */
function openMany(
  port: number,
  count: number,
  prefix: string,
  perAddress: number,
  options: SilentOptions,
): SilentConnection[] {
  return Array.from({ length: count }, (_, i) =>
    openSilent('127.0.0.1', port, { ...options, localAddress: `${prefix}.${1 + Math.floor(i / perAddress)}` }),
  );
}

function stats(values: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** `/health` every 20 ms until stopped. */
function pollHealth(url: string): { stop: () => Promise<{ ok: number; failed: number; slowestMs: number }> } {
  let running = true;
  let ok = 0;
  let failed = 0;
  let slowestMs = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const answer = await requestOnce(new URL('health', url), { timeoutMs: 3000 }).catch(() => null);
      slowestMs = Math.max(slowestMs, performance.now() - started);
      if (answer?.status === 200) ok++;
      else failed++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { ok, failed, slowestMs };
    },
  };
}

function goodRow(what: string, s: GoodClientStats, durationS: number): SoakRow {
  return {
    case: NAME,
    sent: what,
    count: `${formatCount(s.requests)} requests`,
    durationS,
    outcome: `${formatCount(s.correct)} right, ${s.wrong} wrong, ${s.failed} failed; p99 ${s.latencyMs.p99.toFixed(1)} ms, max ${s.latencyMs.max.toFixed(0)} ms${s.examples.length ? ` (${s.examples.join('; ')})` : ''}`,
    pass: s.wrong === 0 && s.failed === 0 && s.requests > 0,
  };
}

/** Errors (key and code) of the last refused reload in the log. */
function lastRefusal(server: ServeChild): string {
  const line = server
    .stderr()
    .split('\n')
    .filter((l) => l.includes('reload refused'))
    .at(-1);
  if (line === undefined) return 'none';
  const errors = (JSON.parse(line) as { errors?: { key: string; code: string }[] }).errors ?? [];
  return errors.map((e) => `${e.key}: ${e.code}`).join(', ');
}

/** Connections that never send a request, and the good clients beside them. */
async function silentRows(
  server: ServeChild,
  ports: { plain: number; tls: number },
  ca: LabCertificateAuthority,
  settings: ConnectionsSettings,
  log: (line: string) => void,
): Promise<SoakRow[]> {
  const rows: SoakRow[] = [];
  const base = { plain: `http://127.0.0.1:${ports.plain}/`, tls: `https://127.0.0.1:${ports.tls}/` };
  const expected = '{"m.server":"matrix.example.org:443"}';
  const verify = (a: { status: number; body: string }): string | null =>
    a.status === 200 && a.body === expected ? null : `status ${a.status}`;
  const goodPlain = startGoodClient({
    baseUrl: base.plain,
    paths: ['.well-known/matrix/server'],
    intervalMs: 50,
    freshConnectionEvery: 5,
    verify,
  });
  const goodTls = startGoodClient({
    baseUrl: base.tls,
    paths: ['.well-known/matrix/server'],
    intervalMs: 50,
    freshConnectionEvery: 5,
    ca: ca.certPem,
    verify,
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const baseline = socketCount(server.pid) ?? 0;
  const started = performance.now();
  const tlsSilent = openMany(ports.tls, settings.silentTls, '127.0.1', 20, { read: true });
  const tlsHalf = openMany(ports.tls, settings.halfHellos, '127.0.2', 20, { read: true, first: HALF_CLIENT_HELLO });
  const plainSilent = openMany(ports.plain, settings.silentPlain, '127.0.3', 20, {});
  const plainReading = openMany(ports.plain, settings.readingPlain, '127.0.4', 20, { read: true });
  const all = [...tlsSilent, ...tlsHalf, ...plainSilent, ...plainReading];
  const opened = await Promise.allSettled(all.map((s) => s.connected));
  const openedAt = performance.now();
  const failedToOpen = opened.filter((o) => o.status === 'rejected').length;
  log(
    `${all.length - failedToOpen} silent connections open (${failedToOpen} failed to open); server holds ${(socketCount(server.pid) ?? 0) - baseline} more sockets`,
  );
  const tlsSilentLife = Promise.all(tlsSilent.map(lifetime));
  const tlsHalfLife = Promise.all(tlsHalf.map(lifetime));
  const plainReadingLife = Promise.all(plainReading.map(lifetime));
  // The non-reading plain clients never see the close: the server's own sockets tell (the good clients add a few).
  const releasedMs = await waitUntil(
    () => (socketCount(server.pid) ?? 0) <= baseline + 4,
    (HEADERS_S + LINGER_S + 10) * 1000,
    100,
  );
  const releasedS = releasedMs === null ? null : (performance.now() - openedAt) / 1000;
  const bounded = <T>(p: Promise<T>): Promise<T | null> =>
    Promise.race([p, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000))]);
  const [tlsS, halfS, readingS] = await Promise.all([
    bounded(tlsSilentLife),
    bounded(tlsHalfLife),
    bounded(plainReadingLife),
  ]);
  const durationS = (performance.now() - started) / 1000;
  const [plainStats, tlsStats] = await Promise.all([goodPlain.stop(), goodTls.stop()]);
  for (const s of all) s.socket.destroy();

  const lifeRow = (
    what: string,
    count: number,
    lives: { seconds: number; text: string }[] | null,
    boundS: number,
    extra = '',
  ): SoakRow => {
    const l = lives === null ? null : stats(lives.map((x) => x.seconds));
    return {
      case: NAME,
      sent: what,
      count: `${count} connections`,
      durationS,
      outcome:
        l === null
          ? 'some were never closed'
          : `all closed by the server after ${l.min.toFixed(1)}-${l.max.toFixed(1)} s (bound ${boundS} s)${extra}`,
      pass: l !== null && failedToOpen === 0 && l.max <= boundS + SLACK_S,
    };
  };
  rows.push(
    lifeRow(
      'TCP connections to the HTTPS listener that send nothing (20 per client address)',
      settings.silentTls,
      tlsS,
      HANDSHAKE_S,
    ),
  );
  rows.push(lifeRow('half a TLS ClientHello, then nothing', settings.halfHellos, halfS, HANDSHAKE_S));
  rows.push({
    case: NAME,
    sent: 'plain-HTTP connections that send nothing and never read (20 per client address)',
    count: `${settings.silentPlain} connections`,
    durationS,
    outcome:
      releasedS === null
        ? `the server still holds ${(socketCount(server.pid) ?? 0) - baseline} sockets`
        : `the server let go of all of them ${releasedS.toFixed(1)} s after they were opened (bound ${HEADERS_S + LINGER_S} s: 408 at ${HEADERS_S} s, ${LINGER_S} s to read it)`,
    pass: releasedS !== null && releasedS <= HEADERS_S + LINGER_S + SLACK_S,
  });
  const got408 = readingS?.filter((x) => x.text.startsWith('HTTP/1.1 408 ')).length ?? 0;
  rows.push(
    lifeRow(
      'plain-HTTP connections that send nothing and read',
      settings.readingPlain,
      readingS,
      HEADERS_S,
      `; ${got408} got the 408 first`,
    ),
  );
  rows[rows.length - 1] = {
    ...rows[rows.length - 1]!,
    pass: rows[rows.length - 1]!.pass && got408 === settings.readingPlain,
  };
  rows.push(
    goodRow(
      'a good client over plain HTTP during the silent connections (every 50 ms, a new connection every 5th)',
      plainStats,
      durationS,
    ),
  );
  rows.push(
    goodRow(
      'a good client over HTTPS during the silent connections (every 50 ms, a new TLS connection every 5th)',
      tlsStats,
      durationS,
    ),
  );
  return rows;
}

/**
 * More connections from one address than the bound; another address beside them. In this process, with the
 * documented default bound, because the executable exempts this machine's own addresses (all a loopback soak has).
 */
async function perAddressRow(): Promise<SoakRow> {
  const started = performance.now();
  const extra = 36;
  const base = parseConfigOrThrow('server_name: example.org\ndelegation_target: matrix.example.org:443\n', {
    sourceName: 'soak',
  }).config;
  // Port 0 (refused by the config) so that nothing collides; set on the validated object as the tests do.
  const config: ServeConfig = {
    ...base,
    listeners: [{ port: 0, bindAddresses: ['127.0.0.1'], tls: false, xForwarded: false }],
  };
  const server = await startServer(config, {
    logger: createServerLogger({ level: 'warn', destination: { write: () => undefined } }),
    limits: { limitLoopbackConnections: true },
  });
  const port = server.listeners[0]!.port;
  try {
    const conns = Array.from({ length: PER_ADDRESS + extra }, () =>
      openSilent('127.0.0.1', port, { read: true, localAddress: '127.0.5.1' }),
    );
    await Promise.allSettled(conns.map((s) => s.connected));
    await waitUntil(() => conns.filter((s) => s.socket.destroyed).length >= extra, 3000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = conns.filter((s) => s.socket.destroyed).length;
    const other = await requestOnce(new URL(`http://127.0.0.1:${port}/health`), {
      localAddress: '127.0.5.2',
      timeoutMs: 3000,
    }).catch(() => null);
    const same = await requestOnce(new URL(`http://127.0.0.1:${port}/health`), {
      localAddress: '127.0.5.1',
      timeoutMs: 3000,
    }).catch(() => null);
    for (const s of conns) s.socket.destroy();
    return {
      case: NAME,
      sent: `${PER_ADDRESS + extra} connections from one client address, then a request from it and from another (startServer in-process, loopback counted as remote)`,
      count: `${PER_ADDRESS + extra} connections`,
      durationS: (performance.now() - started) / 1000,
      outcome: `${PER_ADDRESS + extra - refused} kept, ${refused} closed when accepted (bound ${PER_ADDRESS}); the other address got ${other?.status ?? 'no answer'}, the full one ${same === null ? 'no connection' : same.status}`,
      pass: refused === extra && other?.status === 200 && same === null,
    };
  } finally {
    await server.close({ timeoutMs: 0 });
  }
}

/** SIGHUP with the certificate path on a FIFO, then on /dev/zero, while /health is asked every 20 ms. */
async function reloadRows(
  server: ServeChild,
  files: { config: string; cert: string; key: string; fifo: string },
  ports: { plain: number; tls: number },
  ca: LabCertificateAuthority,
  cert: LabCertificate,
): Promise<SoakRow[]> {
  const rows: SoakRow[] = [];
  const plainUrl = `http://127.0.0.1:${ports.plain}/`;
  for (const [what, path] of [
    ['a FIFO', files.fifo],
    ['/dev/zero', '/dev/zero'],
  ] as const) {
    const started = performance.now();
    const rssBefore = readRssKib(server.pid) ?? 0;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, readRssKib(server.pid) ?? 0)), 10);
    const health = pollHealth(plainUrl);
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeAtomically(files.config, configYaml(ports.plain, ports.tls, path, files.key));
    const refusedBefore = server.count('reload refused');
    const sentAt = performance.now();
    server.child.kill('SIGHUP');
    const refused = await server.waitForLog('reload refused', refusedBefore + 1, 15_000).then(
      () => (performance.now() - sentAt) / 1000,
      () => null,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const polled = await health.stop();
    clearInterval(sampler);
    const answer = await requestOnce(new URL('health', `https://127.0.0.1:${ports.tls}/`), {
      ca: ca.certPem,
      timeoutMs: 3000,
    }).catch(() => null);
    const oldCertificate = answer?.peerFingerprint === new X509Certificate(cert.certPem).fingerprint256;
    const growthMib = (rssPeak - rssBefore) / 1024;
    rows.push({
      case: NAME,
      sent: `SIGHUP with tls_certificate_path on ${what}, /health asked every 20 ms meanwhile`,
      count: `1 reload, ${polled.ok + polled.failed} /health`,
      durationS: (performance.now() - started) / 1000,
      outcome:
        `${refused === null ? 'no refusal logged' : `refused after ${(refused * 1000).toFixed(0)} ms (${lastRefusal(server)})`}; /health ${polled.ok} answered, ${polled.failed} failed, slowest ${polled.slowestMs.toFixed(0)} ms; ` +
        `RSS ${(rssBefore / 1024).toFixed(0)} MiB, peak +${growthMib.toFixed(1)} MiB; the old certificate ${oldCertificate ? 'still served' : 'NOT served'}`,
      pass:
        refused !== null &&
        polled.failed === 0 &&
        polled.ok > 0 &&
        oldCertificate &&
        growthMib < 32 &&
        lastRefusal(server) === 'tls_certificate_path: not-a-regular-file',
    });
  }
  writeAtomically(files.config, configYaml(ports.plain, ports.tls, files.cert, files.key));
  return rows;
}

/** SIGTERM with connections in every state; the time to the exit, its code and the last log line. */
async function sigtermRow(
  server: ServeChild,
  ports: { plain: number; tls: number },
  second: boolean,
): Promise<SoakRow> {
  const opened: SilentConnection[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });
  await Promise.all(
    Array.from({ length: 10 }, () =>
      requestOnce(new URL(`http://127.0.0.1:${ports.plain}/health`), { agent }).catch(() => null),
    ),
  );
  opened.push(...openMany(ports.tls, 50, '127.0.6', 25, {}));
  opened.push(...openMany(ports.tls, 50, '127.0.7', 25, { first: HALF_CLIENT_HELLO }));
  opened.push(...openMany(ports.plain, 50, '127.0.8', 25, {}));
  opened.push(
    ...openMany(ports.plain, 5, '127.0.9', 5, { first: Buffer.from('GET /health HTTP/1.1\r\nHost: example.org\r\n') }),
  );
  const settled = await Promise.allSettled(opened.map((s) => s.connected));
  const notOpened = settled.filter((o) => o.status === 'rejected').length;
  // Give the server the moment it needs to accept them all before the signal.
  await waitUntil(() => (socketCount(server.pid) ?? 0) >= opened.length - notOpened, 3000);
  const started = performance.now();
  server.child.kill('SIGTERM');
  let from = started;
  if (second) {
    await server.waitForLog('shutting down', 1, 5000).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    from = performance.now();
    server.child.kill('SIGTERM');
  }
  const exit = await Promise.race([
    server.exited,
    new Promise<null>((resolve) => setTimeout(() => resolve(null), (SHUTDOWN_S + 10) * 1000)),
  ]);
  const tookS = (performance.now() - from) / 1000;
  agent.destroy();
  for (const s of opened) s.socket.destroy();
  const stopped = server.count('"msg":"stopped"');
  const boundS = second ? 1 : SHUTDOWN_S;
  return {
    case: NAME,
    sent: second
      ? 'a second SIGTERM 1 s after the first, with 50 half ClientHellos and 5 half-sent requests open'
      : 'SIGTERM with 50 silent TLS, 50 half ClientHellos, 50 silent plain, 10 idle keep-alive and 5 half-sent requests open',
    count: '1 signal',
    durationS: (performance.now() - started) / 1000,
    outcome: `${notOpened === 0 ? '' : `${notOpened} could not connect; `}${exit === null ? `still running ${tookS.toFixed(1)} s later` : `exit code ${exit.code} ${tookS.toFixed(1)} s after the ${second ? 'second ' : ''}signal (bound ${boundS} s), "stopped" logged ${stopped} time(s)`}`,
    pass: notOpened === 0 && exit !== null && exit.code === 0 && stopped === 1 && tookS <= boundS + SLACK_S,
  };
}

/** Runs the case. */
export async function runConnections(
  log: (line: string) => void,
  settings: ConnectionsSettings = CONNECTIONS_DEFAULTS,
): Promise<SoakCaseResult> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'md-soak-connections-'));
  const rows: SoakRow[] = [];
  const servers: ServeChild[] = [];
  try {
    const ca = await createCertificateAuthority();
    const cert = await ca.issue({ ipAddresses: ['127.0.0.1'] });
    const files = {
      config: join(dir, 'serve.yaml'),
      cert: join(dir, 'fullchain.pem'),
      key: join(dir, 'privkey.pem'),
      fifo: join(dir, 'fifo.pem'),
    };
    writeFileSync(files.cert, cert.fullChainPem);
    writeFileSync(files.key, cert.keyPem);
    if (spawnSync('mkfifo', [files.fifo]).status !== 0) throw new Error('mkfifo failed');
    const ports = { plain: await freePort(), tls: await freePort() };
    writeAtomically(files.config, configYaml(ports.plain, ports.tls, files.cert, files.key));
    const server = await spawnServe(files.config, { listeners: 2, cpu: CPU.server });
    servers.push(server);
    log(`serve pid ${server.pid}: plain on ${ports.plain}, HTTPS on ${ports.tls}`);
    rows.push(...(await silentRows(server, ports, ca, settings, log)));
    log('per-client bound');
    rows.push(await perAddressRow());
    log('reloads naming a FIFO and /dev/zero');
    rows.push(...(await reloadRows(server, files, ports, ca, cert)));
    log('SIGTERM with connections in every state');
    rows.push(await sigtermRow(server, ports, false));
    const again = await spawnServe(files.config, { listeners: 2, cpu: CPU.server });
    servers.push(again);
    log('a second SIGTERM');
    rows.push(await sigtermRow(again, ports, true));
  } catch (error) {
    rows.push({
      case: NAME,
      sent: 'the case itself',
      count: '-',
      durationS: (performance.now() - started) / 1000,
      outcome: `error: ${(error as Error).message}`,
      pass: false,
    });
  } finally {
    await Promise.all(servers.map((s) => s.stop(2000)));
    rmSync(dir, { recursive: true, force: true });
  }
  const notes = [
    `Connections come from many loopback addresses (127.0.x.y, at most 25 each) so that the per-client bound (${PER_ADDRESS}) refuses none of them, except in its own row. "Closed by the server" is seen by clients that read; for clients that never read, the server's own sockets (/proc/PID/fd) are counted until they are back to where they were.`,
    `A bound is met when the slowest connection is gone within it plus ${SLACK_S} s of timer and scheduling slack; the bounds are those of docs/serve.md.`,
  ];
  return { name: NAME, rows, notes, durationS: (performance.now() - started) / 1000 };
}
