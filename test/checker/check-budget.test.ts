// A check's time budget gives a report within it (issue 13, item 5): stalled addresses are marked TIMEOUT, the good one checked.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import type { CheckReport } from '../../src/checker/types.js';
import { CONFIG_DEFAULTS } from '../../src/config/index.js';
import type { TesterConfig } from '../../src/config/types.js';
import { createTesterRunner } from '../../src/server/tester/runner.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { labCliFlags, runCapture } from '../cli/run-cli.js';
import { homeserverRoutes, labAllowNetworks } from '../diagnosis/homeserver.js';

/** The budget of the reproduction (`check --timeout-ms 4000`). */
const BUDGET_MS = 4000;
/**
 * "Within the budget plus a small margin": a generous bound for a loaded machine (it proves the report does not wait
 * for the stalled servers, which would take the 10 s operation limit or the 60 s stall).
 */
const MARGIN_MS = 1500;
/** Longer than any limit of the check: only the check's budget ends the waits on these servers. */
const STALL_MS = 60_000;

const NAMES = ['mixed.example.org', 'slowwk.example.org'] as const;

let lab: Lab;
let tempDir: string;
let caFile: string;

beforeAll(async () => {
  lab = await startLab({
    zones: {
      // One good address and two silent ones, as A records (steps 6: the default federation port).
      'mixed.example.org': { A: ['good', 'tlsstall', 'httpstall'] },
      // The same three through SRV, behind a well-known whose host accepts TCP and never answers TLS: the
      // resolution itself has to give up on the well-known in time to leave the addresses their share.
      'slowwk.example.org': { A: ['wkstall'] },
      'good.targets.example.org': { A: ['good'] },
      'tls.targets.example.org': { A: ['tlsstall'] },
      'http.targets.example.org': { A: ['httpstall'] },
    },
    hosts: {
      good: {
        port: 'federation',
        certificates: [{ dnsNames: [...NAMES] }],
        routes: homeserverRoutes({ serverNameFor: (host) => host }),
      },
      // Accepts TCP, never answers the TLS handshake.
      tlsstall: { port: 'federation', mode: 'plain-tcp' },
      // Completes the handshake, never answers HTTP.
      httpstall: {
        port: 'federation',
        certificates: [{ dnsNames: [...NAMES] }],
        routes: {
          'GET /_matrix/federation/v1/version': {
            delayMs: STALL_MS,
            json: { server: { name: 'Synapse', version: '1' } },
          },
          'GET /_matrix/key/v2/server': { delayMs: STALL_MS, json: {} },
        },
      },
      wkstall: { mode: 'plain-tcp' },
    },
  });
  // The SRV port is the lab's federation port, known only once the lab runs.
  lab.dns.setName('_matrix-fed._tcp.slowwk.example.org', {
    SRV: ['good', 'tls', 'http'].map((t) => ({
      priority: 0,
      weight: 10,
      port: lab.ports.federation,
      target: `${t}.targets.example.org`,
    })),
  });
  tempDir = mkdtempSync(join(tmpdir(), 'md-check-budget-'));
  caFile = join(tempDir, 'lab-ca.pem');
  writeFileSync(caFile, lab.caCertPem);
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

function labOptions() {
  return { ...lab.clientOptions(), allowNetworks: labAllowNetworks(lab) };
}

/** The parts of an address report the assertions read (the native JSON has the same fields). */
interface AddressView {
  readonly target: { readonly ip: string };
  readonly ok: boolean;
  readonly connectionError: { readonly code: string } | null;
  readonly version: { readonly ok: boolean; readonly error: { readonly code: string } | null } | null;
  readonly keys: { readonly ok: boolean; readonly problems: readonly { readonly code: string }[] } | null;
}

/** What the issue asks of the report: the good address fully checked, each stalled one marked as timed out. */
function expectBudgetReport(name: string, addresses: readonly AddressView[]): void {
  const by = (host: string): AddressView | undefined => addresses.find((a) => a.target.ip === lab.address(host));
  expect(addresses, name).toHaveLength(3);
  expect(by('good'), name).toMatchObject({
    ok: true,
    connectionError: null,
    version: { ok: true },
    keys: { ok: true },
  });
  expect(by('tlsstall'), name).toMatchObject({ ok: false, connectionError: { code: 'TIMEOUT' } });
  const http = by('httpstall');
  expect(http, name).toMatchObject({
    ok: false,
    connectionError: null,
    version: { ok: false, error: { code: 'TIMEOUT' } },
    keys: { ok: false },
  });
  expect(
    http?.keys?.problems.map((p) => p.code),
    name,
  ).toEqual(['TIMEOUT']);
}

describe('checkServer with timeoutMs', () => {
  it(`gives a report within ${BUDGET_MS} ms: the good address ok, the stalled ones TIMEOUT`, async () => {
    const started = performance.now();
    const reports = await Promise.all(
      NAMES.map((name) => checkServer(name, { ...labOptions(), timeoutMs: BUDGET_MS })),
    );
    const elapsed = performance.now() - started;
    for (const report of reports) {
      expectBudgetReport(report.serverName, report.addresses);
      expect(report.reachable).toBe(true);
      // The budget's timers fire late when both cores are busy (the full suite runs three files at once): a report
      // of a check under load once took 4.7 s of its 4 s. Late by more than the margin is a budget that does not hold.
      expect(report.durationMs).toBeLessThanOrEqual(BUDGET_MS + MARGIN_MS);
    }
    expect(elapsed).toBeLessThan(BUDGET_MS + MARGIN_MS);
    // The stalled well-known is reported as the resolution saw it, and resolution went on to SRV (step 4).
    const slow = reports[1] as CheckReport;
    expect(slow.resolution.wellKnown.status).toBe('error');
    expect(new Set(slow.resolution.targets.map((t) => t.step))).toEqual(new Set(['4']));
  });
});

describe('check --timeout-ms through the CLI', () => {
  it(`one name: the report, not "error TIMEOUT", within ${BUDGET_MS} ms plus a margin`, async () => {
    const r = await runCapture([
      'check',
      'slowwk.example.org',
      '--json',
      ...labCliFlags(lab, caFile, { timeoutMs: BUDGET_MS }),
    ]);
    // Federation fails (two addresses of three do), which is exit 1 with a report; no error line.
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { error?: unknown; addresses: AddressView[] };
    expect(report.error).toBeUndefined();
    expectBudgetReport('slowwk.example.org', report.addresses);
    expect(r.ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
  });

  it('--from: a report line per name, not an error line', async () => {
    const r = await runCapture(['check', '--from', '-', ...labCliFlags(lab, caFile, { timeoutMs: BUDGET_MS })], {
      stdin: Readable.from([`${NAMES.join('\n')}\n`]),
    });
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { serverName: string; error?: unknown; addresses: AddressView[] });
    expect(lines.map((l) => l.serverName).sort()).toEqual([...NAMES].sort());
    for (const line of lines) {
      expect(line.error).toBeUndefined();
      expectBudgetReport(line.serverName, line.addresses);
    }
    expect(r.stderr).toMatch(/0 OK, 2 failing, 0 errors\b/);
    // Both names are checked at once (--concurrency 8): one budget, plus a margin.
    expect(r.ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
  });
});

describe("the tester with a check budget (tester's timeout_ms)", () => {
  it('answers with a report, not a timeout', async () => {
    const settings: TesterConfig = {
      ...CONFIG_DEFAULTS.tester,
      enabled: true,
      rateLimitPerMinute: 0,
      allowNetworks: [],
      dnsServers: [],
      caFile: null,
      caPem: null,
      timeoutMs: BUDGET_MS,
    };
    const runner = createTesterRunner({ settings, checkOptions: labOptions() });
    const started = performance.now();
    const answers = await Promise.all(NAMES.map((name) => runner.request(name, '192.0.2.1')));
    expect(performance.now() - started).toBeLessThan(BUDGET_MS + MARGIN_MS);
    answers.forEach((answer, i) => {
      expect(answer.kind, NAMES[i]).toBe('report');
      if (answer.kind === 'report') expectBudgetReport(NAMES[i] as string, answer.report.addresses);
    });
  });
});
