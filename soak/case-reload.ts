// Soak case 3: HTTPS under load while SIGHUP reloads a new certificate 10 times and a broken config 10 times.

import { X509Certificate } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority } from '../src/testing/index.js';
import type { LabCertificate } from '../src/testing/index.js';
import { requestOnce, startGoodClient } from './good-client.js';
import type { GoodAnswer } from './good-client.js';
import { metricSum } from './prometheus.js';
import { CPU, freePort, spawnServe } from './processes.js';
import { formatCount } from './report.js';
import type { SoakCaseResult, SoakRow } from './report.js';
import { HAS_WRK, runWrk, socketErrorCount } from './wrk.js';
import type { WrkResult } from './wrk.js';

/** Settings of the reload case. */
export interface ReloadSettings {
  /** Good reloads (new certificate and documents); as many broken ones are sent in between. */
  readonly reloads: number;
  /** Time between two reloads. */
  readonly spacingMs: number;
  /** Load before the first and after the last reload. */
  readonly marginS: number;
}

/** The soak's settings: 10 good and 10 broken reloads, 1.2 s apart. */
export const RELOAD_DEFAULTS: ReloadSettings = { reloads: 10, spacingMs: 1200, marginS: 3 };

const NAME = '3. reload';
const RELOADED = '"msg":"configuration reloaded"';
const REFUSED = 'reload refused';

/** The config file's text for generation `gen`: its own delegation target, and the given certificate files. */
function configYaml(port: number, gen: number, certPath: string, keyPath: string): string {
  return `server_name: example.org
delegation_target: gen-${gen}.example.org:443
public_baseurl: https://gen-${gen}.example.org/
listeners:
  - port: ${port}
    bind_addresses: ['127.0.0.1']
    tls: true
tls_certificate_path: ${certPath}
tls_private_key_path: ${keyPath}
metrics:
  enabled: true
logging:
  level: info
`;
}

/** A broken configuration: what is wrong, and the file's text (given the good one and spare files). */
interface Breakage {
  readonly name: string;
  readonly yaml: (
    good: string,
    files: {
      readonly garbage: string;
      readonly missing: string;
      readonly otherKey: string;
      readonly keyPath: string;
      readonly certPath: string;
    },
  ) => string;
}

/** Ten ways to break the config file, each refused by the loader (docs/config.md) so the previous config stays. */
const BREAKAGES: readonly Breakage[] = [
  { name: 'YAML syntax error', yaml: () => 'server_name: [unclosed\nlisteners: {\n' },
  { name: 'port out of range', yaml: (good) => good.replace(/port: \d+/, 'port: 99999') },
  { name: 'certificate file is not PEM', yaml: (good, f) => good.replace(f.certPath, f.garbage) },
  { name: 'key of another certificate', yaml: (good, f) => good.replace(f.keyPath, f.otherKey) },
  { name: 'certificate file missing', yaml: (good, f) => good.replace(f.certPath, f.missing) },
  { name: 'invalid server_name', yaml: (good) => good.replace('server_name: example.org', 'server_name: "bad name!"') },
  {
    name: 'invalid delegation_target',
    yaml: (good) => good.replace(/delegation_target: .*/, 'delegation_target: "https://broken.example.org/"'),
  },
  { name: 'wrong type', yaml: (good) => good.replace('enabled: true', 'enabled: maybe') },
  {
    name: 'forbidden client key',
    yaml: (good) =>
      `${good}extra_well_known_client_content:\n  m.homeserver:\n    base_url: https://broken.example.org/\n`,
  },
  { name: 'empty file', yaml: () => '' },
];

/** Writes a file by renaming a fully written temporary one, as a certificate renewal tool should. */
function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function generationOf(body: string): number | null {
  try {
    const server = (JSON.parse(body) as { 'm.server'?: unknown })['m.server'];
    const match = typeof server === 'string' ? /^gen-(\d+)\.example\.org:443$/.exec(server) : null;
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}

/** Runs the case. */
export async function runReload(
  log: (line: string) => void,
  settings: ReloadSettings = RELOAD_DEFAULTS,
): Promise<SoakCaseResult> {
  const started = performance.now();
  if (!HAS_WRK) {
    return {
      name: NAME,
      rows: [
        { case: NAME, sent: 'wrk over HTTPS', count: '-', durationS: 0, outcome: 'wrk is not installed', pass: false },
      ],
      notes: [],
      durationS: 0,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'md-soak-reload-'));
  const rows: SoakRow[] = [];
  const notes: string[] = [];
  const ca = await createCertificateAuthority();
  const certs: LabCertificate[] = [];
  for (let gen = 0; gen <= settings.reloads + 1; gen++)
    certs.push(
      await ca.issue({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], commonName: `soak generation ${gen}` }),
    );
  const fingerprints = certs.map((c) => new X509Certificate(c.certPem).fingerprint256);
  const port = await freePort();
  const files = {
    certPath: join(dir, 'fullchain.pem'),
    keyPath: join(dir, 'privkey.pem'),
    garbage: join(dir, 'garbage.pem'),
    missing: join(dir, 'missing.pem'),
    otherKey: join(dir, 'other-key.pem'),
  };
  writeFileSync(files.garbage, 'this is not a certificate\n');
  // The spare last certificate's key: a valid key that belongs to no certificate ever served.
  writeFileSync(files.otherKey, certs.at(-1)!.keyPem);
  const configPath = join(dir, 'serve.yaml');
  writeAtomically(files.certPath, certs[0]!.fullChainPem);
  writeAtomically(files.keyPath, certs[0]!.keyPem);
  writeAtomically(configPath, configYaml(port, 0, files.certPath, files.keyPath));
  const server = await spawnServe(configPath, { cpu: CPU.server });
  const base = server.urls[0]!;
  try {
    // When each generation was confirmed applied (the server logged it): requests started later must see it.
    const appliedAt: number[] = [performance.now()];
    let current = 0;
    const verifyFresh = (a: GoodAnswer): string | null => {
      if (a.status !== 200) return `status ${a.status}`;
      const gen = a.path.endsWith('server') ? generationOf(a.body) : null;
      if (a.path.endsWith('server') && gen === null) return `unexpected document ${a.body.slice(0, 80)}`;
      const certGen = fingerprints.indexOf(a.peerFingerprint ?? '');
      if (certGen < 0 || certGen > settings.reloads) return 'a certificate that was never configured';
      return null;
    };
    const freshAnswers: GoodAnswer[] = [];
    const keptAnswers: GoodAnswer[] = [];
    const fresh = startGoodClient({
      baseUrl: base,
      paths: ['.well-known/matrix/server'],
      intervalMs: 20,
      ca: ca.certPem,
      freshConnectionEvery: 1,
      timeoutMs: 10_000,
      verify: (a) => (freshAnswers.push(a), verifyFresh(a)),
    });
    const kept = startGoodClient({
      baseUrl: base,
      paths: ['.well-known/matrix/server', '.well-known/matrix/client'],
      intervalMs: 20,
      ca: ca.certPem,
      freshConnectionEvery: 1_000_000,
      timeoutMs: 10_000,
      verify: (a) => (keptAnswers.push(a), a.status === 200 ? null : `status ${a.status}`),
    });
    const loadS = settings.marginS * 2 + (settings.reloads * 2 * settings.spacingMs) / 1000;
    log(
      `serve pid ${server.pid} on ${base}; ${loadS.toFixed(0)} s of HTTPS load with ${settings.reloads} good and ${settings.reloads} broken reloads`,
    );
    const loadStarted = performance.now();
    const paths = ['/.well-known/matrix/server', '/.well-known/matrix/client'];
    const wrkKeepAlive = runWrk({ url: base, paths, connections: 16, durationS: Math.ceil(loadS), cpu: CPU.load });
    const wrkFresh = runWrk({
      url: base,
      paths,
      connections: 4,
      durationS: Math.ceil(loadS),
      headers: ['Connection: close'],
      cpu: CPU.load,
    });
    await new Promise((resolve) => setTimeout(resolve, settings.marginS * 1000));

    const stateChecks: string[] = [];
    let refusedAsExpected = 0;
    const broken: string[] = [];
    for (let i = 0; i < settings.reloads * 2; i++) {
      const stepStarted = performance.now();
      if (i % 2 === 0) {
        const gen = current + 1;
        writeAtomically(files.certPath, certs[gen]!.fullChainPem);
        writeAtomically(files.keyPath, certs[gen]!.keyPem);
        writeAtomically(configPath, configYaml(port, gen, files.certPath, files.keyPath));
        const before = server.count(RELOADED);
        server.child.kill('SIGHUP');
        await server.waitForLog(RELOADED, before + 1);
        appliedAt[gen] = performance.now();
        current = gen;
      } else {
        const breakage = BREAKAGES[((i - 1) / 2) % BREAKAGES.length]!;
        const good = configYaml(port, current, files.certPath, files.keyPath);
        writeAtomically(configPath, breakage.yaml(good, files));
        const refusedBefore = server.count(REFUSED);
        const reloadedBefore = server.count(RELOADED);
        server.child.kill('SIGHUP');
        await server.waitForLog(REFUSED, refusedBefore + 1).catch(() => undefined);
        if (server.count(REFUSED) === refusedBefore + 1 && server.count(RELOADED) === reloadedBefore)
          refusedAsExpected++;
        broken.push(breakage.name);
      }
      // Whatever just happened, a new connection must now get the last good certificate and document.
      const probeAnswer = await requestOnce(new URL('.well-known/matrix/server', base), {
        ca: ca.certPem,
        timeoutMs: 10_000,
      }).catch(() => null);
      const gen = probeAnswer === null ? null : generationOf(probeAnswer.body);
      if (probeAnswer === null || gen !== current || probeAnswer.peerFingerprint !== fingerprints[current]) {
        stateChecks.push(
          `after step ${i + 1}: generation ${String(gen)}, certificate ${fingerprints.indexOf(probeAnswer?.peerFingerprint ?? '')} (expected ${current})`,
        );
      }
      const rest = settings.spacingMs - (performance.now() - stepStarted);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
    const reloadsDoneAt = performance.now();
    const [keepAliveResult, freshResult] = await Promise.all([wrkKeepAlive, wrkFresh]);
    const loadEndedAt = performance.now();
    const freshStats = await fresh.stop();
    const keptStats = await kept.stop();
    const actualLoadS = (loadEndedAt - loadStarted) / 1000;

    // Requests started after a generation was confirmed must see it (or a later one), never an older one.
    const confirmedAt = (t: number): number => {
      let gen = 0;
      for (let g = 0; g < appliedAt.length; g++) if (appliedAt[g] !== undefined && appliedAt[g]! < t) gen = g;
      return gen;
    };
    const staleFresh = freshAnswers.filter((a) => {
      const gen = generationOf(a.body);
      return (
        gen !== null &&
        (gen < confirmedAt(a.startedAt) || fingerprints.indexOf(a.peerFingerprint ?? '') < confirmedAt(a.startedAt))
      );
    }).length;
    const staleKept = keptAnswers.filter((a) => {
      const gen = a.path.endsWith('server') ? generationOf(a.body) : null;
      return gen !== null && gen < confirmedAt(a.startedAt);
    }).length;
    const keptCertificates = new Set(keptAnswers.map((a) => a.peerFingerprint)).size;

    const metrics = (await requestOnce(new URL('metrics', base), { ca: ca.certPem })).body;
    const succeeded = metricSum(metrics, 'matrix_delegation_config_reloads_total', (l) => l.result === 'success');
    const failed = metricSum(metrics, 'matrix_delegation_config_reloads_total', (l) => l.result === 'failure');
    const nonOk = metricSum(
      metrics,
      'matrix_delegation_http_requests_total',
      (l) => (l.route ?? '').startsWith('/.well-known/') && l.status !== '200' && l.status !== 'aborted',
    );

    const wrkRow = (what: string, r: WrkResult): SoakRow => ({
      case: NAME,
      sent: what,
      count: `${formatCount(r.requests)} requests`,
      durationS: r.durationS,
      outcome: `${formatCount(Math.round(r.requestsPerSecond))} req/s, p99 ${r.latencyMs.p99.toFixed(1)} ms; ${r.non2xx} non-2xx, ${socketErrorCount(r)} socket errors`,
      pass: r.non2xx === 0 && socketErrorCount(r) === 0 && r.requests > 0,
    });
    rows.push({
      case: NAME,
      sent: `SIGHUP with a new certificate and new documents (generation 1 to ${settings.reloads})`,
      count: `${settings.reloads} reloads`,
      durationS: (reloadsDoneAt - loadStarted) / 1000 - settings.marginS,
      outcome: `${settings.reloads} applied; after each, a new connection got the new certificate and document${stateChecks.length ? `; ${stateChecks.join('; ')}` : ''}`,
      pass: current === settings.reloads && stateChecks.length === 0,
    });
    rows.push({
      case: NAME,
      sent: `SIGHUP with a broken config: ${[...new Set(broken)].join(', ')}`,
      count: `${broken.length} reloads`,
      durationS: (reloadsDoneAt - loadStarted) / 1000 - settings.marginS,
      outcome: `${refusedAsExpected} refused and logged, the last good certificate and documents still served; server metrics: ${succeeded} reloads applied, ${failed} refused`,
      pass:
        refusedAsExpected === broken.length &&
        succeeded === settings.reloads &&
        failed === broken.length &&
        stateChecks.length === 0,
    });
    rows.push(
      wrkRow('wrk over HTTPS, 16 keep-alive connections, both documents in turn, during the reloads', keepAliveResult),
    );
    rows.push(
      wrkRow(
        'wrk over HTTPS with `Connection: close` (a TLS handshake per request), 4 connections, during the reloads',
        freshResult,
      ),
    );
    rows.push({
      case: NAME,
      sent: 'a verifying client, a new TLS connection every 20 ms: certificate chain and name checked against the lab CA, document parsed',
      count: `${formatCount(freshStats.requests)} requests`,
      durationS: actualLoadS,
      outcome: `${formatCount(freshStats.correct)} right, ${freshStats.wrong} wrong, ${freshStats.failed} failed, ${staleFresh} older than a reload confirmed before they started${freshStats.examples.length ? ` (${freshStats.examples.join('; ')})` : ''}`,
      pass: freshStats.wrong === 0 && freshStats.failed === 0 && staleFresh === 0 && freshStats.requests > 0,
    });
    rows.push({
      case: NAME,
      sent: 'a client on one keep-alive TLS connection, every 20 ms, both documents',
      count: `${formatCount(keptStats.requests)} requests`,
      durationS: actualLoadS,
      outcome: `${formatCount(keptStats.correct)} right, ${keptStats.wrong} wrong, ${keptStats.failed} failed, ${staleKept} stale documents; saw ${keptCertificates} certificate(s) (an open connection keeps the one it was made with)`,
      pass: keptStats.wrong === 0 && keptStats.failed === 0 && staleKept === 0 && keptStats.requests > 0,
    });
    rows.push({
      case: NAME,
      sent: 'server-side count of the document requests',
      count: '-',
      durationS: actualLoadS,
      outcome: `${nonOk} answers other than 200 (the server's own metrics)`,
      pass: nonOk === 0,
    });
    if (reloadsDoneAt > loadEndedAt)
      rows.push({
        case: NAME,
        sent: 'timing',
        count: '-',
        durationS: 0,
        outcome: 'the reloads outlasted the load',
        pass: false,
      });
    notes.push(
      `Reloads are ${settings.spacingMs} ms apart, good and broken in turn, with ${settings.marginS} s of load before the first and after the last. Certificates and the config are written by rename, as certbot does, and the server is told with SIGHUP (the real \`serve\` executable).`,
      'A verifying request is "older than a reload" when it started after the server had logged that reload and still got an older certificate or document; such an answer would mean a reload was not applied at once to new connections.',
      'wrk does not check certificates or bodies; the two verifying clients do.',
    );
    const code = await server.stop();
    rows.push({
      case: NAME,
      sent: 'SIGTERM after the run',
      count: '1',
      durationS: 0,
      outcome: `exit code ${code}`,
      pass: code === 0,
    });
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
    await server.stop(2000);
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: NAME, rows, notes, durationS: (performance.now() - started) / 1000 };
}
