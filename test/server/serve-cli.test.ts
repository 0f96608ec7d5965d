// `matrix-delegation serve`: the real executable (URL line, documents, SIGHUP reload, SIGTERM exit 0, exit 2 on a bad config) and its wiring in-process.

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerServe } from '../../src/cli/commands/serve.js';
import type { ServeDependencies, ServeSignal } from '../../src/cli/commands/serve-flags.js';
import { runCli } from '../../src/cli/program.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { DEFAULT_CONFIG_SOURCE } from '../../src/config/index.js';
import type { ServeConfig } from '../../src/config/index.js';
import type { RunningServer, StartServerOptions } from '../../src/server/serve.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabRequest } from '../../src/testing/index.js';
import { send } from './http-helpers.js';
import { freePort } from '../../support/free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

let tempDir: string;
let lab: Lab;
const seed = generateEd25519Seed();

beforeAll(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'md-serve-cli-'));
  lab = await startLab({
    zones: { 'good.example.org': { A: ['good'] } },
    hosts: {
      good: {
        port: 'federation',
        routes: {
          'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } },
          'GET /_matrix/key/v2/server': (req: LabRequest) => ({
            json: buildSignedKeyResponse({
              serverName: (req.host ?? '').replace(/:\d+$/, ''),
              keyId: 'ed25519:k',
              seed,
              validUntilTs: Date.now() + 86_400_000,
            }),
          }),
        },
      },
    },
  });
  writeFileSync(join(tempDir, 'ca.pem'), lab.caCertPem);
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

function configYaml(port: number, target: string): string {
  return `server_name: example.org
delegation_target: ${target}
listeners:
  - port: ${port}
    bind_addresses: ['127.0.0.1']
tester:
  enabled: true
logging:
  level: info
`;
}

/** A spawned `serve` with its output collected. */
interface Served {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnCli(args: readonly string[]): Served {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const served: Served = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout.on('data', (chunk: Buffer) => (served.stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (served.stderr += chunk.toString('utf8')));
  return served;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Concurrent: each spawn spends most of its time starting node and tsx.
describe.concurrent('the serve executable', () => {
  it('prints its URL, serves, reloads on SIGHUP (keeping the old config when the new one is broken), exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const configPath = join(tempDir, 'serve.yaml');
    writeFileSync(configPath, configYaml(port, 'first.example.org:443'));
    const served = spawnCli([
      'serve',
      '--config',
      configPath,
      '--dns-server',
      lab.dns.server,
      '--allow-network',
      `${lab.address('good')}/32`,
      '--ca-file',
      join(tempDir, 'ca.pem'),
      '--well-known-port',
      String(lab.ports.https),
      '--federation-port',
      String(lab.ports.federation),
    ]);
    try {
      const url = `http://127.0.0.1:${port}/`;
      await waitFor(() => served.stdout.includes('\n'), 'the URL line');
      expect(served.stdout).toBe(`matrix-delegation serving on ${url}\n`);

      expect((await send(`${url}.well-known/matrix/server`)).body).toBe('{"m.server":"first.example.org:443"}');
      // The network flags reach the tester: only with the lab's DNS, CA, ports and allowed network is this GOOD.
      expect((await send(`${url}api/federation-ok?server_name=good.example.org`)).body).toBe('GOOD');

      writeFileSync(configPath, configYaml(port, 'second.example.org:443'));
      served.child.kill('SIGHUP');
      await waitFor(() => served.stderr.includes('configuration reloaded'), 'the reload log line');
      expect((await send(`${url}.well-known/matrix/server`)).body).toBe('{"m.server":"second.example.org:443"}');

      writeFileSync(configPath, configYaml(port, 'second.example.org:443').replace(`port: ${port}`, 'port: 99999'));
      served.child.kill('SIGHUP');
      await waitFor(() => served.stderr.includes('reload refused'), 'the refused reload log line');
      expect(served.stderr).toContain('listeners[0].port');
      expect((await send(`${url}.well-known/matrix/server`)).body).toBe('{"m.server":"second.example.org:443"}');

      served.child.kill('SIGTERM');
      expect(await served.exited).toEqual({ code: 0, signal: null });
      expect(served.stderr).toContain('"msg":"stopped"');
    } finally {
      served.child.kill('SIGKILL');
    }
  });

  it('a broken config exits 2 naming the key', async () => {
    const configPath = join(tempDir, 'broken.yaml');
    writeFileSync(configPath, 'server_name: example.org\nlisteners:\n  - port: 70000\n');
    const served = spawnCli(['serve', '--config', configPath]);
    const { code } = await served.exited;
    expect(code).toBe(2);
    expect(served.stderr).toMatch(/^error INVALID_CONFIG: /);
    expect(served.stderr).toContain('listeners[0].port (line 3');
    // One problem per line, as the config command prints them (not one line with escaped line breaks).
    expect(served.stderr).not.toContain('\\n');
    expect(served.stderr.endsWith('\n')).toBe(true);
    expect(served.stderr.split('\n').length).toBeGreaterThan(2);
    expect(served.stdout).toBe('');
  });
});

describe('serve, in-process', () => {
  /** A fake start that records what it was given and closes when told. */
  function fakeStart() {
    const calls: { config: ServeConfig; options: StartServerOptions }[] = [];
    const closes: ({ timeoutMs?: number } | undefined)[] = [];
    const reloads: ServeConfig[] = [];
    const start: NonNullable<ServeDependencies['start']> = (config, options = {}) => {
      calls.push({ config, options });
      const urls = config.listeners.flatMap((l) => l.bindAddresses.map((a) => `http://${a}:${l.port}/`));
      const server = {
        urls,
        config,
        metrics: { configReloads: { inc: () => undefined } },
        reload: (next: ServeConfig) => {
          reloads.push(next);
          return { warnings: [] };
        },
        close: (o?: { timeoutMs?: number }) => {
          closes.push(o);
          return new Promise<void>((resolve) => setTimeout(resolve, 20));
        },
      };
      return Promise.resolve(server as unknown as RunningServer);
    };
    return { start, calls, closes, reloads };
  }

  function io() {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {} },
    };
  }

  it('without --config runs the built-in default and prints http://127.0.0.1:8080/; SIGTERM then a second signal', async () => {
    const fake = fakeStart();
    const signals = new EventEmitter();
    const { out, io: cliIo } = io();
    let exit = -1;
    const program = new Command().exitOverride();
    registerServe(program, cliIo, (c) => (exit = c), {
      start: fake.start,
      signals: signals as unknown as NonNullable<ServeDependencies['signals']>,
    });
    const running = program.parseAsync(['serve'], { from: 'user' });
    await waitFor(() => out.stdout.length > 0, 'the URL line', 2000);
    expect(out.stdout).toBe('matrix-delegation serving on http://127.0.0.1:8080/\n');
    expect(fake.calls[0]?.config.source).toBe(DEFAULT_CONFIG_SOURCE);
    expect(fake.calls[0]?.config.tester.enabled).toBe(true);
    signals.emit('SIGHUP' satisfies ServeSignal);
    expect(fake.reloads).toHaveLength(0);
    expect(out.stderr).toContain('nothing to reload');
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    await running;
    expect(exit).toBe(0);
    expect(fake.closes).toEqual([undefined, { timeoutMs: 0 }]);
    // The handlers are gone once the server closed.
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT') + signals.listenerCount('SIGHUP')).toBe(
      0,
    );
  });

  it('invalid network flags are usage errors (exit 2) before anything listens', async () => {
    const { out, io: cliIo } = io();
    expect(await runCli(['serve', '--allow-network', 'not-a-network'], cliIo)).toBe(2);
    expect(out.stderr).toMatch(/^error INVALID_CIDR: /);
    const second = io();
    expect(await runCli(['serve', '--dns-server', 'dns.example.org'], second.io)).toBe(2);
    expect(second.out.stderr).toMatch(/^error INVALID_ARGUMENT: /);
  });
});
