// `plan` over the lab: the probe of server_name:8448 decides, and the plan prints documents, config and snippets.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPlan } from '../../src/cli/commands/plan.js';
import type { Prompt } from '../../src/cli/commands/plan.js';
import { buildPlan, createPlan, probeDirectFederation } from '../../src/plan/index.js';
import { parseConfig } from '../../src/config/index.js';
import { prepareWellKnownDocuments } from '../../src/config/documents.js';
import { generateProxyConfig } from '../../src/proxy-config/index.js';
import type { Lab } from '../../src/testing/index.js';
import { startPlanLab, type PlanLab } from './plan-lab-hosts.js';
import { runCommand } from './cli-harness.js';

let planLab: PlanLab;
let lab: Lab;
let dir: string;
let caFile: string;

beforeAll(async () => {
  planLab = await startPlanLab();
  lab = planLab.lab;
  dir = mkdtempSync(join(tmpdir(), 'md-plan-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, lab.caCertPem);
});

afterAll(async () => {
  await planLab?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function options() {
  return { ...lab.clientOptions(), operationTimeoutMs: 2000 };
}

/** The hidden network flags that point the command at the lab. */
function labFlags(): string[] {
  const o = lab.clientOptions();
  return [
    '--dns-server',
    o.dnsServers[0]!,
    '--allow-network',
    '127.0.0.0/8',
    '--ca-file',
    caFile,
    '--federation-port',
    String(o.defaultPort),
    '--timeout-ms',
    '2000',
  ];
}

describe('probeDirectFederation', () => {
  it('a homeserver on server_name:8448 with a certificate for the name works', async () => {
    const probe = await probeDirectFederation('direct.example.org', options());
    expect(probe.works).toBe(true);
    expect(probe.addresses).toEqual([
      expect.objectContaining({
        ip: lab.address('direct'),
        port: lab.ports.federation,
        works: true,
        version: { ok: true, server: 'Synapse 1.140.0', problem: null },
      }),
    ]);
  });

  it('nothing listening: connection refused', async () => {
    const probe = await probeDirectFederation('example.com', options());
    expect(probe.works).toBe(false);
    expect(probe.addresses[0]?.error?.code).toBe('CONNECT_REFUSED');
  });

  it('a certificate for another name: not usable, though the version answers', async () => {
    const probe = await probeDirectFederation('badcert.example.org', options());
    expect(probe.works).toBe(false);
    expect(probe.addresses[0]).toMatchObject({ tls: { nameMatches: false }, version: { ok: true } });
    expect(probe.summary).toMatch(/certificate is not usable for badcert\.example\.org/);
  });

  it('no address at all', async () => {
    const probe = await probeDirectFederation('missing.example.org', options());
    expect(probe).toMatchObject({ works: false, addresses: [], dnsError: { code: 'DNS_NXDOMAIN' } });
  });
});

describe('createPlan', () => {
  it('needed: the documents, a config that loads and serves them, snippets with the same bodies, the SRV alternative', async () => {
    const plan = await createPlan(
      {
        serverName: 'example.com',
        homeserver: 'https://matrix.example.com',
        supportEmail: 'admin@example.com',
        identityServer: 'https://vector.im',
      },
      options(),
    );
    expect(plan.decision).toMatchObject({ verdict: 'needed', method: 'well-known', mServer: 'matrix.example.com:443' });
    expect(plan.documents).toEqual({
      server: '{"m.server":"matrix.example.com:443"}',
      client:
        '{"m.homeserver":{"base_url":"https://matrix.example.com/"},"m.identity_server":{"base_url":"https://vector.im"}}',
      support: '{"contacts":[{"email_address":"admin@example.com","role":"m.role.admin"}]}',
    });
    // The config is a real matrix-delegation config serving exactly those documents.
    const loaded = parseConfig(plan.config, { readTextFile: () => lab.caCertPem });
    const errors = loaded.ok ? [] : loaded.errors.filter((e) => !e.key.startsWith('tls_'));
    expect(errors).toEqual([]);
    expect(plan.config).toContain('delegation_target: matrix.example.com:443\n');
    expect(plan.snippets.nginx).toContain(`return 200 '{"m.server":"matrix.example.com:443"}';`);
    expect(plan.snippets.haproxy).toContain(`string '${plan.documents.client}'`);
    expect(plan.files.map((f) => [f.target, f.path, f.content])).toContainEqual([
      'apache',
      '/var/www/matrix-delegation/server.json',
      plan.documents.server,
    ]);
    expect(plan.srvRecord).toBe('_matrix-fed._tcp.example.com. 3600 IN SRV 10 5 443 matrix.example.com.');
    expect(plan.next).toEqual(['matrix-delegation check example.com']);
  });

  it('not needed: no server document, the client document still planned', async () => {
    const plan = await createPlan(
      { serverName: 'direct.example.org', homeserver: 'https://matrix.direct.example.org' },
      options(),
    );
    expect(plan.decision.verdict).toBe('not-needed');
    expect(plan.documents.server).toBeNull();
    expect(plan.documents.client).toBe('{"m.homeserver":{"base_url":"https://matrix.direct.example.org/"}}');
    expect(plan.srvRecord).toBeNull();
    expect(plan.snippets.caddy).not.toContain('@matrix_server');
  });

  it('SRV on request: no server document, the record in the DNS lines, the client document kept', async () => {
    const plan = await buildPlan(
      { serverName: 'example.com', homeserver: 'https://synapse.example.com:8448', method: 'srv' },
      null,
    );
    expect(plan.decision.method).toBe('srv');
    expect(plan.documents.server).toBeNull();
    expect(plan.dns).toContain('\n_matrix-fed._tcp.example.com. 3600 IN SRV 10 5 8448 synapse.example.com.\n');
    expect(plan.documents.client).not.toBeNull();
  });

  it('with a proxy, the snippets proxy /_matrix and listen on the federation port', async () => {
    const plan = await buildPlan(
      { serverName: 'example.com', homeserver: 'https://example.com', proxyTo: 'http://127.0.0.1:8008' },
      null,
    );
    expect(plan.decision.synapseCanServe).toBe(true);
    expect(plan.snippets.nginx).toContain('proxy_pass http://127.0.0.1:8008;');
    expect(plan.snippets.nginx).toContain('listen 8448 ssl;');
    expect(plan.synapse).toContain('serve_server_wellknown: true');
  });

  it("the snippets are those of `config` for the plan's config: the same bytes as serve", async () => {
    const plan = await buildPlan({ serverName: 'example.com', homeserver: 'https://matrix.example.com' }, null);
    const loaded = parseConfig(plan.config.replace(/^tls_.*$/gm, '').replace(/tls: true/, 'tls: false'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    expect(prepareWellKnownDocuments(loaded.config).server?.body.toString('utf8')).toBe(plan.documents.server);
    expect(generateProxyConfig('haproxy', loaded.config).text).toContain(`string '${plan.documents.server}'`);
  });

  it('bad input is a usage error with the reason', async () => {
    await expect(
      buildPlan(
        { serverName: 'example.com', homeserver: 'https://matrix.example.com', supportEmail: 'not-an-address' },
        null,
      ),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/support\.contacts\[0\]\.email_address/),
    });
  });
});

describe('matrix-delegation plan', () => {
  const register =
    (prompt: Prompt | null) =>
    (
      program: Parameters<typeof registerPlan>[0],
      io: Parameters<typeof registerPlan>[1],
      setExit: (c: number) => void,
    ) =>
      registerPlan(program, io, setExit, prompt);

  it('prints the verdict, what to put where, and the next step', async () => {
    const run = await runCommand(register(null), [
      'plan',
      '--server-name',
      'example.com',
      '--homeserver',
      'https://matrix.example.com',
      ...labFlags(),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Delegation plan for example\.com\n/);
    expect(run.stdout).toContain('Is delegation needed? Yes: by /.well-known/matrix/server.');
    expect(run.stdout).toMatch(/Servers would connect to example\.com:\d+ and fail: .*ECONNREFUSED/);
    expect(run.stdout).toContain('/.well-known/matrix/server   {"m.server":"matrix.example.com:443"}');
    for (const title of [
      'delegation.yaml',
      'nginx',
      'Caddy',
      'Apache httpd',
      'HAProxy',
      'DNS records',
      'homeserver.yaml',
    ])
      expect(run.stdout).toContain(`----- ${title}`);
    expect(run.stdout).toContain('_matrix-fed._tcp.example.com. 3600 IN SRV 10 5 443 matrix.example.com.');
    expect(run.stdout).toContain('Next: once this is in place, run `matrix-delegation check example.com`');
  });

  it('--json gives the same as data', async () => {
    const run = await runCommand(register(null), [
      'plan',
      '--server-name',
      'direct.example.org',
      '--homeserver',
      'matrix.direct.example.org',
      '--json',
      ...labFlags(),
    ]);
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout) as {
      delegation: unknown;
      probe: unknown;
      snippets: Record<string, string>;
      next: string[];
    };
    expect(data.delegation).toMatchObject({ verdict: 'not-needed' });
    expect(data.probe).toMatchObject({ works: true, port: lab.ports.federation });
    expect(Object.keys(data.snippets)).toEqual(['nginx', 'caddy', 'apache', 'haproxy']);
    expect(data.next).toEqual(['matrix-delegation check direct.example.org']);
  });

  it('asks for what is missing when it can, and otherwise names the flag (exit 2)', async () => {
    const questions: string[] = [];
    const answers = ['example.com', 'https://matrix.example.com'];
    const prompt: Prompt = (q) => {
      questions.push(q);
      return Promise.resolve(answers.shift() ?? '');
    };
    const asked = await runCommand(register(prompt), ['plan', '--no-probe', '--json']);
    expect(asked.code).toBe(0);
    expect(questions).toHaveLength(2);
    expect(JSON.parse(asked.stdout)).toMatchObject({
      serverName: 'example.com',
      probe: null,
      delegation: { verdict: 'needed' },
    });

    const noTerminal = await runCommand(register(null), ['plan', '--server-name', 'example.com', '--no-probe']);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toMatch(/error INVALID_ARGUMENT: missing --homeserver/);
  });

  it('an invalid server name or an http homeserver: exit 2', async () => {
    const bad = await runCommand(register(null), [
      'plan',
      '--server-name',
      'bad_name.com',
      '--homeserver',
      'https://m.example.com',
      '--no-probe',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error INVALID_SERVER_NAME/);
    const http = await runCommand(register(null), [
      'plan',
      '--server-name',
      'example.com',
      '--homeserver',
      'http://m.example.com',
      '--no-probe',
    ]);
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/https/);
  });
});
