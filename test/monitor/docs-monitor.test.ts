// docs/monitor.md against the code: every config key documented with the bounds and defaults the validator applies,
// the example configs accepted and the mistakes example refused exactly as shown, every metric and JSON field listed.

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { formatConfigErrors, parseConfig } from '../../src/config/index.js';
import type { MonitorConfig } from '../../src/config/index.js';
import { EMAIL_KEYS, MATRIX_NOTIFY_KEYS, MONITOR_KEYS, NOTIFY_KEYS, WEBHOOK_KEYS } from '../../src/config/schema.js';
import { FEDERATION_METRICS, monitorBody, registerMonitorMetrics, webhookBody } from '../../src/monitor/index.js';
import type { Monitor, NameState, Notification, WatchedName } from '../../src/monitor/index.js';
import { fencedBlocks, readDoc } from './doc-blocks.js';

const doc = readDoc('monitor.md');
const blocks = fencedBlocks(doc);

/** The body rows of the first Markdown table from `marker` on (a heading, or the table's header), as cells. */
function tableAfter(marker: string): string[][] {
  const start = doc.indexOf(marker);
  if (start === -1) throw new Error(`docs/monitor.md has no "${marker}"`);
  const lines = doc.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** The code spans of a cell (`a`, `b`): the names a row documents. */
const spans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** Parses a serve config with every secret file readable (holding `secret`) and no environment. */
function parse(yaml: string, env: Record<string, string> = {}): ReturnType<typeof parseConfig> {
  return parseConfig(yaml, { sourceName: 'config.yaml', readTextFile: () => 'secret\n', env });
}

function monitorOf(yaml: string): MonitorConfig {
  const r = parse(yaml);
  if (!r.ok) throw new Error(formatConfigErrors(r.errors, 'config.yaml'));
  if (r.config.monitor === null) throw new Error('no monitor');
  return r.config.monitor;
}

describe('docs/monitor.md, the configuration', () => {
  const rows = tableAfter('| Key | Type | Default | Meaning |');
  const documented = new Map(rows.map((r) => [spans(r[0]!)[0]!, r]));

  it('documents every key of monitor: and its channels', () => {
    const keys = [
      'monitor',
      ...MONITOR_KEYS.map((k) => `monitor.${k}`),
      ...NOTIFY_KEYS.map((k) => `monitor.notify.${k}`).filter((k) => !documented.has(k)),
      ...WEBHOOK_KEYS.map((k) => `monitor.notify.webhook.${k}`),
      ...EMAIL_KEYS.map((k) => `monitor.notify.email.${k}`),
      ...MATRIX_NOTIFY_KEYS.map((k) => `monitor.notify.matrix.${k}`),
    ];
    // The channels' sections are documented through their keys (monitor.notify.webhook.url, ...).
    const expected = keys.filter((k) => !/^monitor\.notify\.(webhook|email|matrix)$/.test(k));
    expect([...documented.keys()].sort()).toEqual([...new Set(expected)].sort());
  });

  it('the integer keys take exactly the documented range, and default to the documented value', () => {
    const integers = rows.filter((r) => /^integer \d+-\d+$/.test(r[1]!));
    expect(integers.map((r) => spans(r[0]!)[0])).toEqual([
      'monitor.interval_seconds',
      'monitor.failures_before_alert',
      'monitor.certificate_warning_days',
      'monitor.max_in_flight',
    ]);
    const field = {
      'monitor.interval_seconds': 'intervalSeconds',
      'monitor.failures_before_alert': 'failuresBeforeAlert',
      'monitor.certificate_warning_days': 'certificateWarningDays',
      'monitor.max_in_flight': 'maxInFlight',
    } as const;
    const base = (extra: string): string => `server_name: example.org\nmonitor:\n  servers: [example.org]\n${extra}`;
    for (const row of integers) {
      const key = spans(row[0]!)[0] as keyof typeof field;
      const [min, max] = /(\d+)-(\d+)/.exec(row[1]!)!.slice(1).map(Number) as [number, number];
      const name = key.slice('monitor.'.length);
      expect(monitorOf(base(`  ${name}: ${min}\n`))[field[key]], key).toBe(min);
      expect(monitorOf(base(`  ${name}: ${max}\n`))[field[key]], key).toBe(max);
      expect(parse(base(`  ${name}: ${min - 1}\n`)).ok, `${key} ${min - 1}`).toBe(false);
      expect(parse(base(`  ${name}: ${max + 1}\n`)).ok, `${key} ${max + 1}`).toBe(false);
      expect(monitorOf(base(''))[field[key]], `${key} default`).toBe(Number(spans(row[2]!)[0]));
    }
  });

  it('servers: at least one, at most 10,000', () => {
    const names = (n: number): string => Array.from({ length: n }, (_, i) => `s${i}.example.org`).join(', ');
    expect(parse(`server_name: example.org\nmonitor:\n  servers: [${names(10_000)}]\n`).ok).toBe(true);
    expect(parse(`server_name: example.org\nmonitor:\n  servers: [${names(10_001)}]\n`).ok).toBe(false);
    expect(parse(`server_name: example.org\nmonitor:\n  servers: []\n`).ok).toBe(false);
  });

  it('every YAML block is a serve config checked here or a Prometheus file docs-promtool.test.ts checks', () => {
    for (const block of blocks.filter((b) => b.language === 'yaml'))
      expect(
        /^server_name:/m.test(block.text) || /^# (prometheus|matrix-federation\.rules)\.yml\n/.test(block.text),
        `block at line ${block.line}`,
      ).toBe(true);
  });

  it('the example config is accepted as shown, channels and all', () => {
    const examples = blocks.filter((b) => b.language === 'yaml' && /^server_name:/m.test(b.text));
    const good = examples.filter((b) => !b.text.startsWith('# config.yaml (with mistakes)'));
    expect(good.length).toBeGreaterThanOrEqual(1);
    for (const block of good) {
      const r = parse(block.text);
      expect(r.ok ? [] : r.errors, `block at line ${block.line}`).toEqual([]);
      expect(r.warnings, `block at line ${block.line}`).toEqual([]);
      if (r.ok) expect(r.config.monitor?.notify.email?.password?.reveal()).toBe('secret');
    }
  });

  it('the mistakes example is refused with exactly the errors the page shows', () => {
    const index = blocks.findIndex((b) => b.text.startsWith('# config.yaml (with mistakes)\n'));
    expect(index).toBeGreaterThan(-1);
    const shown = blocks[index + 1]!;
    expect(shown.language).toBe('text');
    const r = parse(blocks[index]!.text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatConfigErrors(r.errors, 'config.yaml')).toBe(shown.text);
  });
});

/** A watched name whose last check failed twice, for the JSON bodies. */
function watchedState(): NameState {
  return {
    serverName: 'example.org',
    consecutiveFailures: 2,
    alerting: true,
    baseline: null,
    warnedExpiry: null,
    last: {
      ok: false,
      checkedAt: Date.parse('2030-01-01T00:00:00Z'),
      durationMs: 900,
      summary: 'Federation does not work.',
      hints: [{ id: 'tls-name-mismatch', severity: 'error', title: 'The certificate does not name the host' }],
      addressesOk: 0,
      addressesFailed: 1,
      certificateExpiresAt: Date.parse('2030-03-01T00:00:00Z'),
      certificates: ['ab'],
      delegation: ['matrix.example.org:443'],
      wellKnownDelegated: true,
      serverVersion: { name: 'Synapse', version: '1.140.0' },
    },
    pending: [],
  };
}

function fakeMonitor(): Monitor {
  const watched: WatchedName = {
    serverName: 'example.org',
    state: watchedState(),
    reportJson: '{"schema":"matrix-delegation/check/v1"}',
    nextCheckAt: Date.parse('2030-01-01T00:05:00Z'),
    running: false,
  };
  return {
    settings: {
      servers: ['example.org'],
      intervalSeconds: 300,
      failuresBeforeAlert: 2,
      certificateWarningDays: 14,
      maxInFlight: 8,
      statePath: null,
      pageUrl: 'https://tester.example.org/',
      notify: { webhook: null, email: null, matrix: null },
    },
    intervalMs: 300_000,
    names: () => [watched],
    name: (n) => (n === 'example.org' ? watched : undefined),
    update: () => undefined,
    close: () => Promise.resolve(),
  };
}

/** The field names of a fields table (first column; a cell may name several fields). */
const fieldsOf = (marker: string): string[] => tableAfter(marker).flatMap((r) => spans(r[0]!));

describe('docs/monitor.md, what the endpoints and channels send', () => {
  it('/probe: the metrics table lists every metric of a check', () => {
    const probe = tableAfter('| metric | type | labels | value |').map((r) => spans(r[0]!)[0]);
    expect(probe.sort()).toEqual(
      Object.values(FEDERATION_METRICS)
        .map((m) => m.name)
        .sort(),
    );
  });

  it('/metrics: the table lists every metric the monitor adds', async () => {
    const registry = new Registry();
    registerMonitorMetrics(registry, () => fakeMonitor());
    const registered = (await registry.getMetricsAsJSON()).map((m) => m.name);
    const federation: string[] = Object.values(FEDERATION_METRICS).map((m) => m.name);
    const extra = registered.filter((n) => !federation.includes(n)).sort();
    const rows = tableAfter('## `/metrics`: the watched names').map((r) => spans(r[0]!)[0]!);
    expect(rows.filter((n) => !n.startsWith('matrix_federation_*')).sort()).toEqual(extra);
    expect(registered.filter((n) => federation.includes(n)).sort()).toEqual([...federation].sort());
  });

  it('/api/monitor: every field of the answer and of each server is documented, and only those', () => {
    const body = JSON.parse(monitorBody(fakeMonitor(), null, true)) as Record<string, unknown> & {
      servers: Record<string, unknown>[];
    };
    const documented = new Set(fieldsOf('## `/api/monitor`'));
    const answer = [...Object.keys(body).filter((k) => k !== 'servers'), 'servers[]', ...Object.keys(body.servers[0]!)];
    expect([...documented].sort()).toEqual(answer.sort());
  });

  it('the webhook body: every field documented, and only those', () => {
    const n: Notification = {
      id: 'n1',
      kind: 'failing',
      serverName: 'example.org',
      state: 'failing',
      createdAt: 0,
      summary: 's',
      hints: [],
      consecutiveFailures: 2,
      changes: [],
      certificateExpiresAt: null,
    };
    const documented = fieldsOf('Redirects are not followed. The body:');
    expect(documented.sort()).toEqual(Object.keys(webhookBody(n, null)).sort());
  });
});
