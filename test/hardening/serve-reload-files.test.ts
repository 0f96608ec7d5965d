// Config, certificate and key files that are not regular files (a FIFO, /dev/zero), at start and on SIGHUP, against the built `serve` (issue 13, item 4).

import { spawnSync } from 'node:child_process';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { freePort } from '../../soak/processes.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import type { LabCertificate, LabCertificateAuthority } from '../../src/testing/index.js';
import { send } from '../server/http-helpers.js';
import { DIST_MAIN, spawnServe } from './serve-child.js';
import type { ServeChild } from './serve-child.js';

let dir: string;
let ca: LabCertificateAuthority;
let cert: LabCertificate;
let fifo: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-serve-files-'));
  ca = await createCertificateAuthority();
  cert = await ca.issue({ ipAddresses: ['127.0.0.1'] });
  writeFileSync(join(dir, 'cert.pem'), cert.fullChainPem);
  writeFileSync(join(dir, 'key.pem'), cert.keyPem);
  fifo = join(dir, 'fifo.pem');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr.toString()}`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function configYaml(tlsPort: number, plainPort: number, certPath: string, keyPath = join(dir, 'key.pem')): string {
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
`;
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** `/health` asked every 25 ms on the plain listener until stopped: how many answered 200, and the slowest answer. */
function pollHealth(url: string): { stop: () => Promise<{ ok: number; failed: number; slowestMs: number }> } {
  let running = true;
  let ok = 0;
  let failed = 0;
  let slowestMs = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      // A 3 s ceiling: an answer that slow means the event loop was blocked ("does not hang", not a latency target).
      const answer = await Promise.race([
        send(`${url}health`).catch(() => null),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000)),
      ]);
      slowestMs = Math.max(slowestMs, performance.now() - started);
      if (answer?.status === 200) ok++;
      else failed++;
      await new Promise((resolve) => setTimeout(resolve, 25));
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

async function start(
  ctx: TestContext,
  name: string,
): Promise<{ serve: ServeChild; configPath: string; tlsPort: number; plainPort: number }> {
  const [tlsPort, plainPort] = [await freePort(), await freePort()];
  const configPath = join(dir, `${name}.yaml`);
  writeAtomically(configPath, configYaml(tlsPort, plainPort, join(dir, 'cert.pem')));
  const serve = await spawnServe(configPath, 2);
  ctx.onTestFinished(() => serve.kill());
  return { serve, configPath, tlsPort, plainPort };
}

/** The errors (key and code) of the last refused reload, from its log line. */
function refusedErrors(serve: ServeChild): { key: unknown; code: unknown }[] {
  const line = serve.logLines('reload refused').at(-1);
  return ((line?.errors ?? []) as { key: unknown; code: unknown }[]).map((e) => ({ key: e.key, code: e.code }));
}

describe.concurrent('SIGHUP with a certificate path that is not a regular file', () => {
  it('a FIFO: /health keeps answering, the reload is refused naming the key, the old certificate stays, later reloads work', async (ctx) => {
    const { serve, configPath, tlsPort, plainPort } = await start(ctx, 'fifo');
    const health = pollHealth(serve.urls[0]!);
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeAtomically(configPath, configYaml(tlsPort, plainPort, fifo));
    serve.child.kill('SIGHUP');
    await serve.waitForLog('reload refused', 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const polled = await health.stop();
    expect(polled.failed, `slowest /health ${polled.slowestMs.toFixed(0)} ms`).toBe(0);
    expect(polled.ok).toBeGreaterThan(0);
    expect(refusedErrors(serve)).toEqual([{ key: 'tls_certificate_path', code: 'not-a-regular-file' }]);
    // The previous certificate is still served on new connections.
    const answer = await send(`https://127.0.0.1:${tlsPort}/health`, { ca: ca.certPem });
    expect(answer.peerFingerprint).toBe(new X509Certificate(cert.certPem).fingerprint256);
    // And the reload machinery is not stuck: a good config is applied.
    writeAtomically(configPath, configYaml(tlsPort, plainPort, join(dir, 'cert.pem')));
    serve.child.kill('SIGHUP');
    await serve.waitForLog('configuration reloaded', 1, 10_000);
  });

  it('/dev/zero: the reload is refused at once and the memory does not grow', async (ctx) => {
    const { serve, configPath, tlsPort, plainPort } = await start(ctx, 'zero');
    const before = serve.rssKiB();
    let peak = before;
    // Sampled all along; past 256 MiB of growth the child is killed (the machine is shared), which fails the test.
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, serve.rssKiB());
        if (peak - before > 256 * 1024) serve.kill();
      } catch {
        // exited
      }
    }, 20);
    try {
      const health = pollHealth(serve.urls[0]!);
      writeAtomically(configPath, configYaml(tlsPort, plainPort, '/dev/zero'));
      serve.child.kill('SIGHUP');
      await serve.waitForLog('reload refused', 1, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const polled = await health.stop();
      expect(polled.failed).toBe(0);
      expect(refusedErrors(serve)).toEqual([{ key: 'tls_certificate_path', code: 'not-a-regular-file' }]);
      // A reload reads a few KiB of YAML and PEM: 32 MiB is room for the heap's own noise, far from a read of /dev/zero.
      expect((peak - before) / 1024).toBeLessThan(32);
    } finally {
      clearInterval(sampler);
    }
  });
});

/** Runs `serve --config FILE` to its exit (at most `timeoutMs`), with its standard error. */
function runToExit(configPath: string, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [DIST_MAIN, 'serve', '--config', configPath], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: null, stderr });
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe.concurrent('at start', () => {
  it('a FIFO as the certificate: exit 2 with the key and the fix, no hang', async () => {
    const configPath = join(dir, 'start-fifo-cert.yaml');
    writeFileSync(configPath, configYaml(await freePort(), await freePort(), fifo));
    const { code, stderr } = await runToExit(configPath, 10_000);
    expect(code).toBe(2);
    expect(stderr).toContain('tls_certificate_path');
  });

  it('a FIFO or /dev/zero as the config file: exit 2, no hang', async () => {
    for (const configPath of [fifo, '/dev/zero']) {
      const { code, stderr } = await runToExit(configPath, 10_000);
      expect(code, configPath).toBe(2);
      expect(stderr).toContain(configPath);
    }
  });
});
