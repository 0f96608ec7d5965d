// The fast subset of the reload soak: HTTPS under a burst while SIGHUP brings new certificates and broken configs.

import { X509Certificate } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestOnce } from '../../soak/good-client.js';
import type { GoodAnswer } from '../../soak/good-client.js';
import { freePort } from '../../soak/processes.js';
import { registerServe } from '../../src/cli/commands/serve.js';
import type { ServeDependencies } from '../../src/cli/commands/serve-flags.js';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import type { LabCertificate, LabCertificateAuthority } from '../../src/testing/index.js';

const GENERATIONS = 5;
let dir: string;
let ca: LabCertificateAuthority;
let certs: LabCertificate[];
let fingerprints: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-hardening-reload-'));
  ca = await createCertificateAuthority();
  certs = await Promise.all(
    Array.from({ length: GENERATIONS + 2 }, (_, gen) =>
      ca.issue({ ipAddresses: ['127.0.0.1'], commonName: `generation ${gen}` }),
    ),
  );
  fingerprints = certs.map((c) => new X509Certificate(c.certPem).fingerprint256);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

function configYaml(port: number, gen: number, keyPath = join(dir, 'key.pem')): string {
  return `server_name: example.org
delegation_target: gen-${gen}.example.org:443
listeners:
  - port: ${port}
    bind_addresses: ['127.0.0.1']
    tls: true
tls_certificate_path: ${join(dir, 'cert.pem')}
tls_private_key_path: ${keyPath}
metrics:
  enabled: true
`;
}

function generationOf(answer: GoodAnswer): number {
  const match = /^\{"m\.server":"gen-(\d+)\.example\.org:443"\}$/.exec(answer.body);
  return match === null ? -1 : Number(match[1]);
}

describe('reloads during a burst of HTTPS requests', () => {
  it('no request fails, broken configs are refused, new connections get the last good certificate and document', async () => {
    const port = await freePort();
    const configPath = join(dir, 'serve.yaml');
    writeAtomically(join(dir, 'cert.pem'), certs[0]!.fullChainPem);
    writeAtomically(join(dir, 'key.pem'), certs[0]!.keyPem);
    writeAtomically(configPath, configYaml(port, 0));
    writeFileSync(join(dir, 'other-key.pem'), certs.at(-1)!.keyPem);

    // The real `serve` command in-process: its SIGHUP handler reads the file, as the executable does.
    const signals = new EventEmitter();
    let stderr = '';
    let server: RunningServer | undefined;
    let exit = -1;
    const program = new Command().exitOverride();
    registerServe(program, { stdout: () => undefined, stderr: (t) => void (stderr += t), env: {} }, (c) => (exit = c), {
      signals: signals as unknown as NonNullable<ServeDependencies['signals']>,
      start: async (config, options) => (server = await startServer(config, options)),
    });
    const running = program.parseAsync(['serve', '--config', configPath], { from: 'user' });
    while (server === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    const url = new URL('.well-known/matrix/server', server.urls[0]!);
    const logged = async (text: string, times: number): Promise<void> => {
      while (stderr.split(text).length - 1 < times) await new Promise((resolve) => setTimeout(resolve, 5));
    };

    let current = 0;
    let stop = false;
    const answers: GoodAnswer[] = [];
    const failures: string[] = [];
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 2, ca: ca.certPem });
    // Eight workers: six open a new TLS connection per request, two stay on keep-alive connections.
    const workers = Array.from({ length: 8 }, async (_, w) => {
      while (!stop) {
        const floor = current;
        try {
          const a = await requestOnce(url, w < 6 ? { ca: ca.certPem } : { agent: keepAlive });
          answers.push(a);
          const gen = generationOf(a);
          if (a.status !== 200 || gen < floor)
            failures.push(`status ${a.status}, generation ${gen} (at least ${floor} expected)`);
          if (a.freshConnection && fingerprints.indexOf(a.peerFingerprint ?? '') < floor)
            failures.push(`an old certificate on a new connection (generation ${floor})`);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    });

    const broken = [
      () => 'server_name: [unclosed\n',
      () => configYaml(port, 99).replace(join(dir, 'cert.pem'), join(dir, 'missing.pem')),
      () => configYaml(port, 99, join(dir, 'other-key.pem')),
      () => configYaml(port, 99).replace(`port: ${port}`, 'port: 99999'),
      () => '',
    ];
    for (let gen = 1; gen <= GENERATIONS; gen++) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      writeAtomically(join(dir, 'cert.pem'), certs[gen]!.fullChainPem);
      writeAtomically(join(dir, 'key.pem'), certs[gen]!.keyPem);
      writeAtomically(configPath, configYaml(port, gen));
      signals.emit('SIGHUP');
      // The files are read asynchronously (the server keeps answering meanwhile): in force once it says so.
      await logged('"msg":"configuration reloaded"', gen);
      current = gen;
      await new Promise((resolve) => setTimeout(resolve, 60));
      writeAtomically(configPath, broken[gen - 1]!());
      signals.emit('SIGHUP');
      await logged('reload refused', gen);
      const after = await requestOnce(url, { ca: ca.certPem });
      expect(generationOf(after), `after broken config ${gen}`).toBe(gen);
      expect(after.peerFingerprint).toBe(fingerprints[gen]);
    }
    // A certificate that cannot be used, handed to the library's reload(): refused, nothing changes.
    const mismatched = { ...server.config, tls: { ...server.config.tls!, privateKeyPem: certs.at(-1)!.keyPem } };
    expect(() => server!.reload(mismatched)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    await new Promise((resolve) => setTimeout(resolve, 60));
    stop = true;
    await Promise.all(workers);
    keepAlive.destroy();

    expect(failures).toEqual([]);
    expect(answers.length).toBeGreaterThan(40);
    expect(new Set(answers.map(generationOf))).toContain(GENERATIONS);
    expect(stderr.split('"msg":"configuration reloaded"').length - 1).toBe(GENERATIONS);
    expect(stderr.split('reload refused').length - 1).toBe(GENERATIONS);
    const metrics = await server.metrics.registry.getSingleMetricAsString('matrix_delegation_config_reloads_total');
    expect(metrics).toContain(`matrix_delegation_config_reloads_total{result="success"} ${GENERATIONS}`);
    expect(metrics).toContain(`matrix_delegation_config_reloads_total{result="failure"} ${GENERATIONS + 1}`);

    signals.emit('SIGTERM');
    await running;
    expect(exit).toBe(0);
  });
});
