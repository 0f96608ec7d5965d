// Overlapping lookups are the default of every entry point, with or without a cache; overlap: false and --sequential keep the plain sequence.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { createFederationClient } from '../../src/client/federation-client.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { createResolverCache } from '../../src/resolver/cache.js';
import { startServer } from '../../src/server/serve.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabRequest } from '../../src/testing/index.js';
import { labCliFlags, runCapture } from '../cli/run-cli.js';
import { captureLogger, send, testConfig } from '../server/http-helpers.js';

/**
 * How long the well-known host waits for the server name's `_matrix-fed._tcp` question before answering. With
 * overlapping lookups the question is asked before the fetch starts (spec step 4 does not depend on the well-known's
 * answer, only on whether it delegates), so the wait ends at once; the plain sequence asks it only after the 404, so
 * the wait runs out. Only the outcome (seen or not) is asserted, never a time.
 */
const PATIENCE_MS = 1500;

let lab: Lab;
let tempDir: string;
let cliFlags: string[];
/** For each server name, whether its SRV question had been asked when each well-known request was answered. */
const seen = new Map<string, boolean[]>();

const NAMES = [
  'api',
  'cached',
  'client',
  'checker',
  'tester',
  'cli-resolve',
  'cli-request',
  'cli-check',
  'off',
  'cli-sequential',
].map((id) => `${id}.ovl-default.test`);

async function srvAsked(host: string): Promise<boolean> {
  const asked = (): boolean =>
    lab.dns.queries.some((q) => q.type === 'SRV' && q.name.toLowerCase() === `_matrix-fed._tcp.${host}`);
  const deadline = Date.now() + PATIENCE_MS;
  while (!asked() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return asked();
}

async function wellKnown(request: LabRequest) {
  const host = (request.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const asked = await srvAsked(host);
  seen.set(host, [...(seen.get(host) ?? []), asked]);
  return { status: 404, json: { errcode: 'M_NOT_FOUND' } };
}

/** Whether the first well-known request for `name` found its SRV question already asked. */
const overlapped = (name: string): boolean | undefined => seen.get(name)?.[0];

beforeAll(async () => {
  // Every name points at the well-known host; no SRV records (NODATA), so resolution ends at step 6 on that host.
  lab = await startLab({
    zones: Object.fromEntries(NAMES.map((name) => [name, { A: ['web'] }])),
    hosts: { web: { routes: { 'GET /.well-known/matrix/server': wellKnown } } },
  });
  tempDir = mkdtempSync(join(tmpdir(), 'md-overlap-default-'));
  const caFile = join(tempDir, 'ca.pem');
  writeFileSync(caFile, lab.caCertPem);
  cliFlags = labCliFlags(lab, caFile);
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

describe('overlapping lookups by default', () => {
  it('resolveServerName, without a cache and with one', async () => {
    const r = await resolveServerName(NAMES[0]!, lab.clientOptions());
    expect(r.targets.map((t) => t.step)).toEqual(['6']);
    expect(overlapped(NAMES[0]!)).toBe(true);
    const cache = createResolverCache();
    try {
      await resolveServerName(NAMES[1]!, { ...lab.clientOptions(), cache });
    } finally {
      await cache.close();
    }
    expect(overlapped(NAMES[1]!)).toBe(true);
  });

  it('createFederationClient', async () => {
    const client = createFederationClient({ ...lab.clientOptions(), connectTimeoutMs: 2000, requestTimeoutMs: 2000 });
    try {
      // Nothing serves federation on the step-6 target: the request fails; the resolution before it is what counts.
      await client.fetch(NAMES[2]!, '/_matrix/federation/v1/version').catch(() => undefined);
    } finally {
      await client.close();
    }
    expect(overlapped(NAMES[2]!)).toBe(true);
  });

  it('checkServer', async () => {
    await checkServer(NAMES[3]!, { ...lab.clientOptions(), operationTimeoutMs: 2000 });
    expect(overlapped(NAMES[3]!)).toBe(true);
  });

  it("serve's tester", async () => {
    const server = await startServer(
      testConfig('server_name: tester.example.org\ntester:\n  enabled: true\n  rate_limit_per_minute: 0\n'),
      {
        logger: captureLogger('error').logger,
        checkOptions: { ...lab.clientOptions(), operationTimeoutMs: 2000 },
      },
    );
    try {
      const response = await send(`${server.urls[0]!}api/report?server_name=${NAMES[4]!}`);
      expect(response.status).toBe(200);
    } finally {
      await server.close();
    }
    expect(overlapped(NAMES[4]!)).toBe(true);
  });

  it('the command line: resolve, request and check', async () => {
    const resolved = await runCapture(['resolve', NAMES[5]!, '--json', ...cliFlags]);
    expect(resolved.code, resolved.stderr).toBe(0);
    await runCapture(['request', NAMES[6]!, '/_matrix/federation/v1/version', ...cliFlags]);
    await runCapture(['check', NAMES[7]!, '--json', ...cliFlags]);
    expect([NAMES[5]!, NAMES[6]!, NAMES[7]!].map(overlapped)).toEqual([true, true, true]);
  });
});

describe('the plain sequence on request', () => {
  it('overlap: false asks the SRV question only after the well-known answered, with the same answer', async () => {
    const r = await resolveServerName(NAMES[8]!, { ...lab.clientOptions(), overlap: false });
    expect(r.targets.map((t) => t.step)).toEqual(['6']);
    expect(overlapped(NAMES[8]!)).toBe(false);
  });

  it('--sequential does the same on the command line', async () => {
    const r = await runCapture(['resolve', NAMES[9]!, '--json', '--sequential', ...cliFlags]);
    expect(r.code, r.stderr).toBe(0);
    expect(overlapped(NAMES[9]!)).toBe(false);
  });
});
