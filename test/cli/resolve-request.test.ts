// The resolve and request commands in-process (runCli with captured output) against one lab: issue #3's contract.

import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { labCliFlags, runCapture as run } from './run-cli.js';

let lab: Lab;
let tempDir: string;
let caFile: string;

const MISSING_BODY = { errcode: 'M_NOT_FOUND', error: 'no such thing here' };
const TEXT_BODY = 'hello from the lab, in plain text\n';
const VERSION_BODY = { server: { name: 'LabServer', version: '1.2.3' } };

beforeAll(async () => {
  lab = await startLab({
    zones: {
      // 3.2: well-known on example.com delegates to matrix.example.com:<https port>.
      'example.com': { A: ['web'] },
      'matrix.example.com': { A: ['synapse'] },
      // 4: no well-known (web answers 404 for this name); _matrix-fed._tcp points at backend.example.org.
      'srv.example.org': { A: ['web'] },
      'backend.example.org': { A: ['srvhost'] },
      // 6: no well-known (nothing listens on the well-known port there), no SRV: the host on the federation port.
      'direct.example.org': { A: ['direct'] },
      // A host whose certificate names something else.
      'badcert.example.org': { A: ['badcert'] },
      // Loopback outside the lab hosts' addresses: denied unless allowed.
      'private.example.org': { A: ['127.0.0.1'] },
    },
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': (req) => {
            const host = (req.host ?? '').replace(/:\d+$/, '');
            if (host === 'example.com') return { json: { 'm.server': `matrix.example.com:${lab.ports.https}` } };
            return { status: 404, json: { errcode: 'M_NOT_FOUND' } };
          },
        },
      },
      // Default certificates: every zone name pointing at the host (matrix.example.com here).
      synapse: {},
      // The SRV target's certificate must name the server name, not the SRV target (spec, step 4).
      srvhost: { port: 'federation', certificates: [{ dnsNames: ['srv.example.org'] }] },
      direct: {
        port: 'federation',
        routes: {
          'GET /_matrix/federation/v1/version': { json: VERSION_BODY },
          'GET /_matrix/missing': { status: 404, json: MISSING_BODY },
          'GET /text': { headers: { 'content-type': 'text/plain; charset=utf-8' }, body: TEXT_BODY },
          '/method': (req) => ({ json: { method: req.method } }),
        },
      },
      badcert: { port: 'federation', certificates: [{ kind: 'wrong-name' }] },
    },
  });
  // The SRV port is the lab's federation port, known only once the lab runs.
  lab.dns.setName('_matrix-fed._tcp.srv.example.org', {
    SRV: [{ priority: 0, weight: 0, port: lab.ports.federation, target: 'backend.example.org' }],
  });
  tempDir = mkdtempSync(join(tmpdir(), 'md-cli-'));
  caFile = join(tempDir, 'lab-ca.pem');
  writeFileSync(caFile, lab.caCertPem);
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

function parseJson(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

const sortedKeys = (value: unknown): string[] => Object.keys(value as object).sort();

const TARGET_KEYS = ['hostHeader', 'ip', 'port', 'sni', 'step', 'tlsServerName'];
const RESOLVE_KEYS = ['error', 'serverName', 'targets', 'wellKnown'];
const ERROR_LINE = (code: string): RegExp => new RegExp(`^error ${code}: \\S`, 'm');

/**
 * The spec step numbers a text account mentions next to a status word: "step 3.2 taken ...", or several
 * at once ("steps 3.3, 3.4, 3.5 skipped ...").
 */
function stepsMentioned(text: string): Set<string> {
  const steps = new Set<string>();
  for (const line of text.split('\n')) {
    if (!/\b(taken|skipped|failed|no records|empty)\b/.test(line)) continue;
    for (const match of line.matchAll(/\bsteps?\s+(\d(?:\.\d)?(?:\s*(?:,|and|to|-)\s*\d(?:\.\d)?)*)/g)) {
      for (const step of match[1]!.match(/\d(?:\.\d)?/g) ?? []) steps.add(step);
    }
  }
  return steps;
}

describe('resolve --json', () => {
  it('3.2 (well-known to host:port): exact keys, and the delegated host and port with its names', async () => {
    const r = await run(['resolve', 'example.com', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = parseJson(r.stdout);
    expect(sortedKeys(doc)).toEqual(RESOLVE_KEYS);
    expect(sortedKeys(doc['wellKnown'])).toEqual(['detail', 'mServer', 'status']);
    const mServer = `matrix.example.com:${lab.ports.https}`;
    expect(doc).toMatchObject({ serverName: 'example.com', wellKnown: { status: 'delegated', mServer }, error: null });
    const targets = doc['targets'] as unknown[];
    for (const t of targets) expect(sortedKeys(t)).toEqual(TARGET_KEYS);
    // Spec 3.2: the delegated host's addresses on the delegated port; Host is "host:port"; certificate and SNI the host.
    expect(targets).toEqual([
      {
        step: '3.2',
        ip: lab.address('synapse'),
        port: lab.ports.https,
        hostHeader: mServer,
        tlsServerName: 'matrix.example.com',
        sni: 'matrix.example.com',
      },
    ]);
  });

  it('4 (SRV on the server name): the SRV target and port are dialled; Host, certificate and SNI stay the server name', async () => {
    const r = await run(['resolve', 'srv.example.org', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    const doc = parseJson(r.stdout);
    expect(sortedKeys(doc)).toEqual(RESOLVE_KEYS);
    expect(doc['wellKnown']).toMatchObject({ status: 'absent', mServer: null });
    expect(doc['targets']).toEqual([
      {
        step: '4',
        ip: lab.address('srvhost'),
        port: lab.ports.federation,
        hostHeader: 'srv.example.org',
        tlsServerName: 'srv.example.org',
        sni: 'srv.example.org',
      },
    ]);
    expect(doc['error']).toBeNull();
  });

  it('6 (no delegation, no SRV): the host itself on the federation port, Host without a port', async () => {
    const r = await run(['resolve', 'direct.example.org', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    const doc = parseJson(r.stdout);
    expect(doc['wellKnown']).toMatchObject({ mServer: null });
    expect((doc['wellKnown'] as { status: string }).status).not.toBe('delegated');
    expect(doc['targets']).toEqual([
      {
        step: '6',
        ip: lab.address('direct'),
        port: lab.ports.federation,
        hostHeader: 'direct.example.org',
        tlsServerName: 'direct.example.org',
        sni: 'direct.example.org',
      },
    ]);
  });

  it('--trace adds exactly the "trace" key: every step with status and reason', async () => {
    const r = await run(['resolve', 'example.com', '--json', '--trace', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    const doc = parseJson(r.stdout);
    expect(sortedKeys(doc)).toEqual([...RESOLVE_KEYS, 'trace'].sort());
    for (const t of doc['targets'] as unknown[]) expect(sortedKeys(t)).toEqual(TARGET_KEYS);
    const trace = doc['trace'] as { step: string; status: string; reason: string }[];
    for (const entry of trace) {
      expect(typeof entry.reason).toBe('string');
      expect(['taken', 'skipped', 'empty', 'failed']).toContain(entry.status);
    }
    const statusOf = (step: string) => trace.filter((e) => e.step === step).map((e) => e.status);
    // The name is not an IP literal and has no port (1, 2 skipped); the well-known delegated (3) to host:port (3.2).
    expect(statusOf('1')).toEqual(['skipped']);
    expect(statusOf('2')).toEqual(['skipped']);
    expect(statusOf('3')).toEqual(['taken']);
    expect(statusOf('3.2')).toContain('taken');
    // No SRV lookups once the well-known decided.
    for (const step of ['3.3', '3.4', '4', '5', '6']) expect(statusOf(step).every((s) => s === 'skipped')).toBe(true);
  });
});

describe('resolve (text)', () => {
  it('3.2: an account of every step, taken or skipped, then the target', async () => {
    const r = await run(['resolve', 'example.com', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().startsWith('{')).toBe(false);
    const mentioned = stepsMentioned(r.stdout);
    for (const step of ['1', '2', '3', '3.1', '3.2', '3.3', '3.4', '3.5', '4', '5', '6']) {
      expect(mentioned, `step ${step} in:\n${r.stdout}`).toContain(step);
    }
    expect(r.stdout).toContain(`matrix.example.com:${lab.ports.https}`);
    expect(r.stdout).toContain(`${lab.address('synapse')}:${lab.ports.https}`);
  });

  it('6: every step from 1 to 6 is accounted for, and the target is shown with its Host', async () => {
    const r = await run(['resolve', 'direct.example.org', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    const mentioned = stepsMentioned(r.stdout);
    for (const step of ['1', '2', '3', '4', '5', '6'])
      expect(mentioned, `step ${step} in:\n${r.stdout}`).toContain(step);
    expect(r.stdout).toContain(`${lab.address('direct')}:${lab.ports.federation}`);
    expect(r.stdout).toContain('direct.example.org');
  });

  it('4: the SRV target address and port appear among the targets', async () => {
    const r = await run(['resolve', 'srv.example.org', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    expect(stepsMentioned(r.stdout)).toContain('4');
    expect(r.stdout).toContain(`${lab.address('srvhost')}:${lab.ports.federation}`);
  });
});

describe('resolve exit codes', () => {
  it('an invalid server name: 2, INVALID_SERVER_NAME on stderr, nothing contacted', async () => {
    lab.hosts['web']?.resetCounters();
    const r = await run(['resolve', 'exa mple.com', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE('INVALID_SERVER_NAME'));
    expect(lab.hosts['web']?.requestCount).toBe(0);
  });

  it('an invalid server name with --json: still 2 and the error on stderr', async () => {
    const r = await run(['resolve', 'bad_name!.example', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE('INVALID_SERVER_NAME'));
  });

  it('an unknown flag: 2, reported on stderr with an error code', async () => {
    const r = await run(['resolve', 'example.com', '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error [A-Z_]+: .*--no-such-flag/m);
  });

  it('a missing server name: 2', async () => {
    const r = await run(['resolve']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toBe('');
  });

  it.each([['10.0.0.0/33'], ['not-a-network'], ['300.1.2.3/8']])(
    '--allow-network %s: 2 with INVALID_CIDR',
    async (cidr) => {
      const r = await run(['resolve', 'example.com', '--allow-network', cidr]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(ERROR_LINE('INVALID_CIDR'));
    },
  );

  it.each([['abc'], ['0'], ['-5'], ['1.5'], ['600001']])(
    '--timeout-ms %s: 2 (usage error, not an internal one)',
    async (value) => {
      const r = await run(['resolve', 'example.com', '--timeout-ms', value]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error [A-Z_]+: /m);
      expect(r.stderr).not.toMatch(/INTERNAL/);
    },
  );

  it('--ca-file that cannot be read: 2 with INVALID_ARGUMENT', async () => {
    const r = await run([
      'resolve',
      'example.com',
      ...labCliFlags(lab, caFile),
      '--ca-file',
      join(tempDir, 'does-not-exist.pem'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE('INVALID_ARGUMENT'));
  });

  it('--ca-file holding no certificate: 2 with INVALID_ARGUMENT', async () => {
    const notPem = join(tempDir, 'not-a-cert.pem');
    writeFileSync(notPem, 'this is not a certificate\n');
    const r = await run(['resolve', 'example.com', ...labCliFlags(lab, caFile), '--ca-file', notPem]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE('INVALID_ARGUMENT'));
  });

  it('a name resolving only to a denied address: 1 with ADDRESS_DENIED, no targets', async () => {
    const r = await run(['resolve', 'private.example.org', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(ERROR_LINE('ADDRESS_DENIED'));
    const doc = parseJson(r.stdout);
    expect(doc['targets']).toEqual([]);
    expect(doc['error']).toMatchObject({ code: 'ADDRESS_DENIED' });
  });

  it('--allow-network is repeatable: adding 127.0.0.1/32 to the lab list makes the same name resolve', async () => {
    const r = await run([
      'resolve',
      'private.example.org',
      '--json',
      ...labCliFlags(lab, caFile),
      '--allow-network',
      '127.0.0.1/32',
    ]);
    expect(r.code).toBe(0);
    expect((parseJson(r.stdout)['targets'] as { ip: string }[]).map((t) => t.ip)).toEqual(['127.0.0.1']);
  });

  it('a name that does not exist: 1, with an error code on stderr', async () => {
    const r = await run(['resolve', 'nowhere.example.org', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error [A-Z_]+: /m);
  });

  it('a host with a wrong-name certificate still resolves (resolve does not connect): 0', async () => {
    const r = await run(['resolve', 'badcert.example.org', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    expect((parseJson(r.stdout)['targets'] as { ip: string }[]).map((t) => t.ip)).toEqual([lab.address('badcert')]);
  });
});

describe('--dns-server', () => {
  it('is repeatable: a dead first server, the lab second, still resolves', async () => {
    const dead = await deadUdpPort();
    const deadServer = `127.0.0.1:${dead}`;
    const r = await run([
      'resolve',
      'direct.example.org',
      '--json',
      ...labCliFlags(lab, caFile, { dnsServers: [deadServer, lab.dns.server] }),
    ]);
    expect(r.code).toBe(0);
    expect((parseJson(r.stdout)['targets'] as { ip: string }[]).map((t) => t.ip)).toEqual([lab.address('direct')]);
    // The dead server alone resolves nothing, so the success above came from the second server.
    const alone = await run([
      'resolve',
      'direct.example.org',
      '--json',
      ...labCliFlags(lab, caFile, { dnsServers: [deadServer] }),
    ]);
    expect(alone.code).toBe(1);
  });
});

describe('request', () => {
  it('2xx: 0, and the body alone on stdout', async () => {
    const r = await run([
      'request',
      'direct.example.org',
      '/_matrix/federation/v1/version',
      ...labCliFlags(lab, caFile),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(VERSION_BODY);
  });

  it('--json: exactly { target, status, headers, body }, the body parsed', async () => {
    const r = await run([
      'request',
      'direct.example.org',
      '/_matrix/federation/v1/version',
      '--json',
      ...labCliFlags(lab, caFile),
    ]);
    expect(r.code).toBe(0);
    const doc = parseJson(r.stdout);
    expect(sortedKeys(doc)).toEqual(['body', 'headers', 'status', 'target']);
    expect(sortedKeys(doc['target'])).toEqual(TARGET_KEYS);
    expect(doc['target']).toEqual({
      step: '6',
      ip: lab.address('direct'),
      port: lab.ports.federation,
      hostHeader: 'direct.example.org',
      tlsServerName: 'direct.example.org',
      sni: 'direct.example.org',
    });
    expect(doc['status']).toBe(200);
    expect((doc['headers'] as Record<string, string>)['content-type']).toMatch(/^application\/json/);
    expect(doc['body']).toEqual(VERSION_BODY);
  });

  it('--json with a text/plain body: the body stays a string', async () => {
    const r = await run(['request', 'direct.example.org', '/text', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    const doc = parseJson(r.stdout);
    expect(doc['status']).toBe(200);
    expect((doc['headers'] as Record<string, string>)['content-type']).toMatch(/^text\/plain/);
    expect(doc['body']).toBe(TEXT_BODY);
  });

  it('a text body without --json is printed as it is', async () => {
    const r = await run(['request', 'direct.example.org', '/text', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(TEXT_BODY);
  });

  it('non-2xx: 1, the body still printed, HTTP_ERROR on stderr', async () => {
    const r = await run(['request', 'direct.example.org', '/_matrix/missing', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual(MISSING_BODY);
    expect(r.stderr).toMatch(ERROR_LINE('HTTP_ERROR'));
  });

  it('non-2xx with --json: 1, the JSON document printed with the status and parsed body', async () => {
    const r = await run(['request', 'direct.example.org', '/_matrix/missing', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(1);
    const doc = parseJson(r.stdout);
    expect(sortedKeys(doc)).toEqual(['body', 'headers', 'status', 'target']);
    expect(doc['status']).toBe(404);
    expect(doc['body']).toEqual(MISSING_BODY);
  });

  it('--method POST reaches the server as POST', async () => {
    lab.hosts['direct']?.resetCounters();
    const r = await run([
      'request',
      'direct.example.org',
      '/method',
      '--method',
      'POST',
      '--json',
      ...labCliFlags(lab, caFile),
    ]);
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout)['body']).toEqual({ method: 'POST' });
    expect(lab.hosts['direct']?.requests.map((q) => q.method)).toEqual(['POST']);
  });

  it('without --method the request is a GET', async () => {
    const r = await run(['request', 'direct.example.org', '/method', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout)['body']).toEqual({ method: 'GET' });
  });

  it('3.2 delegation: the request reaches the delegated host with its Host header and SNI', async () => {
    lab.hosts['synapse']?.resetCounters();
    const r = await run(['request', 'example.com', '/who', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    const doc = parseJson(r.stdout);
    expect(doc['target']).toMatchObject({ step: '3.2', ip: lab.address('synapse'), port: lab.ports.https });
    // The lab's fallback handler echoes what the server saw.
    expect(doc['body']).toMatchObject({
      server: 'synapse',
      host: `matrix.example.com:${lab.ports.https}`,
      sni: 'matrix.example.com',
      path: '/who',
    });
    expect(lab.hosts['synapse']?.requestCount).toBe(1);
  });

  it('4 SRV delegation: the request reaches the SRV target with the server name as Host and SNI', async () => {
    const r = await run(['request', 'srv.example.org', '/who', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout)['body']).toMatchObject({
      server: 'srvhost',
      host: 'srv.example.org',
      sni: 'srv.example.org',
    });
  });

  it('a certificate for another name: 1 with a TLS_ code on stderr, no request sent', async () => {
    lab.hosts['badcert']?.resetCounters();
    const r = await run(['request', 'badcert.example.org', '/x', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error TLS_[A-Z_]+: /m);
    expect(r.stderr).toMatch(ERROR_LINE('TLS_NAME_MISMATCH'));
    expect(lab.hosts['badcert']?.requestCount).toBe(0);
  });

  it('without the lab CA: 1 with a TLS_ code (the lab certificate is not trusted)', async () => {
    const flags = labCliFlags(lab, caFile);
    const i = flags.indexOf('--ca-file');
    flags.splice(i, 2);
    const r = await run(['request', 'direct.example.org', '/x', ...flags]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error TLS_[A-Z_]+: /m);
  });

  it('a denied address: 1 with ADDRESS_DENIED', async () => {
    const r = await run(['request', 'private.example.org', '/x', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(ERROR_LINE('ADDRESS_DENIED'));
  });

  it('an invalid server name: 2 with INVALID_SERVER_NAME', async () => {
    const r = await run(['request', 'exa mple.com', '/x', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE('INVALID_SERVER_NAME'));
  });

  it('usage errors: missing path, unknown flag, bad CIDR, bad timeout, unreadable CA file: 2', async () => {
    expect((await run(['request', 'direct.example.org'])).code).toBe(2);
    expect((await run(['request', 'direct.example.org', '/x', '--frobnicate'])).code).toBe(2);
    const cidr = await run(['request', 'direct.example.org', '/x', '--allow-network', '10.0.0.0/40']);
    expect(cidr.code).toBe(2);
    expect(cidr.stderr).toMatch(ERROR_LINE('INVALID_CIDR'));
    expect((await run(['request', 'direct.example.org', '/x', '--timeout-ms', 'soon'])).code).toBe(2);
    const ca = await run(['request', 'direct.example.org', '/x', '--ca-file', join(tempDir, 'missing.pem')]);
    expect(ca.code).toBe(2);
    expect(ca.stderr).toMatch(ERROR_LINE('INVALID_ARGUMENT'));
  });
});

/** A UDP port on 127.0.0.1 that nothing listens on (bound, then released). */
async function deadUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
