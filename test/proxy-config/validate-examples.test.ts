// Every example config, turned into a whole configuration of each web server, passes that server's own check.

import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WEB_SERVER_TARGETS,
  generateProxyConfig,
  loadConfigForSnippets,
  serverCommands,
} from '../../src/proxy-config/index.js';
import type { ProxyConfigOptions, WebServerTarget } from '../../src/proxy-config/index.js';
import type { ServeConfig } from '../../src/config/index.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import { findServerBinary } from './server-process.js';

const run = promisify(execFile);
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));

let dir: string;
let certificatePath: string;
let privateKeyPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-validate-'));
  chmodSync(dir, 0o755);
  const ca = await createCertificateAuthority();
  const leaf = await ca.issue({ dnsNames: ['example.com', 'synapse.example.com'] });
  certificatePath = join(dir, 'fullchain.pem');
  privateKeyPath = join(dir, 'fullchain.pem.key');
  writeFileSync(certificatePath, leaf.fullChainPem);
  writeFileSync(privateKeyPath, leaf.keyPem);
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** An example as loaded for snippets, its (certbot) TLS paths pointed at real files so the servers can load them. */
async function loadExample(name: string): Promise<ServeConfig> {
  const result = await loadConfigForSnippets(join(EXAMPLES, name));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const config = result.config;
  return config.tls === null ? config : { ...config, tls: { ...config.tls, certificatePath, privateKeyPath } };
}

async function check(
  target: WebServerTarget,
  config: ServeConfig,
  label: string,
  options: ProxyConfigOptions,
): Promise<void> {
  const path = join(dir, `${label}.${target}.conf`);
  writeFileSync(
    path,
    generateProxyConfig(target, config, { ...options, full: true, runDir: dir, documentsDir: join(dir, 'documents') })
      .text,
  );
  const commands = serverCommands(target, path, dir);
  try {
    await run(findServerBinary(commands), [...commands.test], { timeout: 15_000 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${commands.binary} refuses ${path}:\n${e.stderr ?? ''}${e.stdout ?? ''}${e.message}`);
  }
}

describe('examples/ as whole web-server configurations (nginx -t, caddy validate, apache2 -t, haproxy -c)', () => {
  it('covers every example', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
  });

  for (const name of examples) {
    it(name, async () => {
      const config = await loadExample(name);
      // With a proxy, federation also gets its port, which needs a TLS listener; examples behind a proxy have none.
      const proxy: ProxyConfigOptions = {
        proxyTo: 'http://127.0.0.1:8008',
        ...(config.tls === null ? { federationPort: null } : {}),
      };
      await Promise.all(
        WEB_SERVER_TARGETS.flatMap((target) => [
          check(target, config, `${name}.documents`, {}),
          check(target, config, `${name}.proxy`, proxy),
        ]),
      );
    });
  }
});
