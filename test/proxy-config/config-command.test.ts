// `matrix-delegation config <target> --from CONFIG`: output, files, errors and exit codes.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConfig } from '../../src/cli/commands/config.js';
import { loadConfigForSnippets } from '../../src/proxy-config/index.js';
import { prepareWellKnownDocuments } from '../../src/config/documents.js';
import { runCommand } from '../plan/cli-harness.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const example = (name: string): string => join(EXAMPLES, name);
const config = (...argv: string[]) => runCommand(registerConfig, ['config', ...argv]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-config-cmd-'));
});
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('matrix-delegation config', () => {
  it('nginx: the server block on stdout; TLS files missing here are a warning, not an error', async () => {
    const run = await config('nginx', '--from', example('well-known-delegation.yaml'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('server {\n    listen 443 ssl;');
    expect(run.stdout).toContain(`return 200 '{"m.server":"synapse.example.com:443"}';`);
    expect(run.stderr).toMatch(/^warning: TLS files not found on this machine/m);
  });

  it('a certificate path on a FIFO or /dev/zero is refused at once, not read (issue 13, item 4)', async () => {
    const { execFileSync } = await import('node:child_process');
    const fifo = join(dir, 'cert.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/zero']) {
      const configPath = join(dir, 'special-file.yaml');
      writeFileSync(
        configPath,
        `server_name: example.org\ntls_certificate_path: ${path}\ntls_private_key_path: ${path}\nlisteners:\n  - port: 443\n    tls: true\n`,
      );
      const run = await config('nginx', '--from', configPath);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('tls_certificate_path');
      expect(run.stderr).toMatch(/not a regular file/);
    }
  });

  it('--full: a whole file (Caddy: global options)', async () => {
    const run = await config('caddy', '--from', example('support.yaml'), '--full', '--run-dir', '/tmp/somewhere');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\{\n\t# No admin endpoint[^\n]*\n\tadmin off\n\tauto_https off/);
    expect(run.stdout).toContain('root /tmp/somewhere/matrix-delegation-caddy');
  });

  it('apache --write-documents writes the files byte for byte', async () => {
    const documents = join(dir, 'docs');
    const run = await config(
      'apache',
      '--from',
      example('client-well-known.yaml'),
      '--documents-dir',
      documents,
      '--write-documents',
    );
    expect(run.code).toBe(0);
    const loaded = await loadConfigForSnippets(example('client-well-known.yaml'));
    if (!loaded.ok) throw new Error('example does not load');
    const prepared = prepareWellKnownDocuments(loaded.config);
    expect(readFileSync(join(documents, 'server.json'))).toEqual(prepared.server!.body);
    expect(readFileSync(join(documents, 'client.json'))).toEqual(prepared.client!.body);
    expect(run.stderr).toContain(`wrote ${join(documents, 'client.json')} (${prepared.client!.body.byteLength} bytes)`);
    expect(run.stdout).toContain(`Alias "/.well-known/matrix/client" "${join(documents, 'client.json')}"`);
  });

  it('proxying without the federation listener', async () => {
    const run = await config(
      'haproxy',
      '--from',
      example('well-known-delegation.yaml'),
      '--proxy-to',
      'http://127.0.0.1:8008',
      '--no-federation-port',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('server homeserver 127.0.0.1:8008');
    expect(run.stdout).not.toContain('8448');
    const other = await config(
      'haproxy',
      '--from',
      example('well-known-delegation.yaml'),
      '--proxy-to',
      'http://127.0.0.1:8008',
      '--federation-port',
      '8449',
    );
    expect(other.stdout).toContain('bind :::8449 v4v6 ssl crt');
  });

  it('dns and synapse', async () => {
    const dns = await config(
      'dns',
      '--from',
      example('srv-delegation.yaml'),
      '--srv-target',
      'synapse.example.com:443',
    );
    expect(dns.stdout).toContain('\n_matrix-fed._tcp.example.com. 3600 IN SRV 10 5 443 synapse.example.com.\n');
    const synapse = await config('synapse', '--from', example('synapse-serve-server-wellknown.yaml'));
    expect(synapse.stdout).toContain('serve_server_wellknown: true');
  });

  it('--json: target, text, files and warnings', async () => {
    const run = await config('apache', '--from', example('no-delegation.yaml'), '--json');
    const data = JSON.parse(run.stdout) as {
      target: string;
      text: string;
      files: { document: string; content: string }[];
      warnings: string[];
    };
    expect(data.target).toBe('apache');
    expect(data.files).toEqual([
      {
        document: 'client',
        path: '/var/www/matrix-delegation/client.json',
        content: '{"m.homeserver":{"base_url":"https://example.com/"}}',
      },
    ]);
    expect(data.warnings).toEqual([]);
  });

  it('usage errors exit 2: a refused config, an unknown target, --full for dns, an option the target cannot honour', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'server_name: bad_name.com\n');
    const refused = await config('nginx', '--from', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error INVALID_CONFIG: .*bad\.yaml: 1 error/);
    expect((await config('nginx', '--from', join(dir, 'missing.yaml'))).code).toBe(2);
    expect((await config('lighttpd', '--from', example('support.yaml'))).code).toBe(2);
    const full = await config('dns', '--from', example('support.yaml'), '--full');
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/--full applies to the web servers/);
    const noTls = await config('nginx', '--from', example('support.yaml'), '--proxy-to', 'http://127.0.0.1:8008');
    expect(noTls.code).toBe(2);
    expect(noTls.stderr).toMatch(/needs TLS/);
    expect((await config('nginx', '--from', example('support.yaml'))).code).toBe(0);
  });
});
