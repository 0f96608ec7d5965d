// docs/monitor.md's Prometheus files as Prometheus reads them: promtool checks the scrape config and the alert rules,
// and its rule unit tests prove that the alerts fire when the page says they do.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fencedBlocks, readDoc } from './doc-blocks.js';
import { promtool } from './promtool.js';

const CONFIG_FILE = 'prometheus.yml';
const RULES_FILE = 'matrix-federation.rules.yml';
const DAY = 86_400;

let dir: string;
let config: string;
let rules: string;

beforeAll(() => {
  // The page names each Prometheus file on its first line (`# NAME.yml`); a block for another one would go unchecked,
  // so none may exist. (The serve configs, `.yaml`, are docs-monitor.test.ts's.)
  const named = fencedBlocks(readDoc('monitor.md')).filter(
    (b) => b.language === 'yaml' && /^# \S+\.yml\n/.test(b.text),
  );
  const file = (name: string): string => {
    const found = named.filter((b) => b.text.startsWith(`# ${name}\n`));
    if (found.length !== 1) throw new Error(`docs/monitor.md must show ${name} once, found ${found.length}`);
    return found[0]!.text;
  };
  config = file(CONFIG_FILE);
  rules = file(RULES_FILE);
  const others = named.filter(
    (b) => !b.text.startsWith(`# ${CONFIG_FILE}\n`) && !b.text.startsWith(`# ${RULES_FILE}\n`),
  );
  if (others.length > 0)
    throw new Error(`unchecked Prometheus files in docs/monitor.md at lines ${others.map((b) => b.line).join(', ')}`);
  dir = mkdtempSync(join(tmpdir(), 'md-docs-promtool-'));
  writeFileSync(join(dir, CONFIG_FILE), config);
  writeFileSync(join(dir, RULES_FILE), rules);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A rule unit test file for promtool (`promtool test rules`), one-minute samples. */
function unitTests(tests: readonly unknown[]): string {
  return JSON.stringify({ rule_files: [RULES_FILE], evaluation_interval: '1m', tests });
}

async function testRules(name: string, tests: readonly unknown[]): Promise<void> {
  writeFileSync(join(dir, name), unitTests(tests));
  const r = await promtool(['test', 'rules', name], { cwd: dir });
  expect(r.code, r.output).toBe(0);
}

const probeLabels = (name: string): Record<string, string> => ({
  job: 'matrix-federation',
  instance: name,
  server_name: name,
});
const series = (
  metric: string,
  labels: Record<string, string>,
  values: string,
): { series: string; values: string } => ({
  series: `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`,
  values,
});

describe('the Prometheus files of docs/monitor.md', () => {
  it('promtool check config accepts the scrape config (and the rule file it names)', async () => {
    expect(config).toContain('metrics_path: /probe');
    const r = await promtool(['check', 'config', CONFIG_FILE], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
  });

  it('relabels as blackbox_exporter: the watched name becomes the target parameter, instance and server_name', async () => {
    // What Prometheus scrapes, as it resolves the config (promtool check config parses it; the labels are read here).
    for (const line of [
      'target_label: __param_target',
      'source_labels: [__param_target]',
      'target_label: instance',
      'target_label: server_name',
      'target_label: __address__',
    ])
      expect(config).toContain(line);
  });

  it('promtool check rules accepts the alert rules', async () => {
    const r = await promtool(['check', 'rules', RULES_FILE], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/SUCCESS: 4 rules found/);
  });

  it('federation down fires after 10 minutes of failing, once per name whatever the source, and never for a blip', async () => {
    const down = 'down.example.org';
    const blip = 'blip.example.org';
    const firing = {
      exp_labels: { severity: 'critical', server_name: down },
      exp_annotations: {
        summary: `Federation with ${down} fails`,
        description: `Other homeservers cannot reach ${down}. The report says why: https://tester.example.org/?server_name=${down}`,
      },
    };
    await testRules('down-tests.yml', [
      {
        interval: '1m',
        input_series: [
          series('matrix_federation_ok', probeLabels(down), '0x30'),
          // The same name from serve's /metrics: one alert, not two.
          series(
            'matrix_federation_ok',
            { job: 'matrix-delegation', instance: 'tester.example.org:443', server_name: down },
            '0x30',
          ),
          // One failed scrape between working ones.
          series('matrix_federation_ok', probeLabels(blip), '1 1 0 1x27'),
        ],
        alert_rule_test: [
          { eval_time: '9m', alertname: 'MatrixFederationDown', exp_alerts: [] },
          { eval_time: '11m', alertname: 'MatrixFederationDown', exp_alerts: [firing] },
          { eval_time: '30m', alertname: 'MatrixFederationDown', exp_alerts: [firing] },
        ],
      },
    ]);
  });

  it('the certificate alert fires for an end within 14 days, not for one 20 days away', async () => {
    const soon = 'soon.example.org';
    await testRules('certificate-tests.yml', [
      {
        interval: '1m',
        input_series: [
          series('matrix_federation_certificate_expiry_timestamp_seconds', probeLabels(soon), `${13 * DAY}x30`),
          series(
            'matrix_federation_certificate_expiry_timestamp_seconds',
            probeLabels('later.example.org'),
            `${20 * DAY}x30`,
          ),
        ],
        alert_rule_test: [
          {
            eval_time: '11m',
            alertname: 'MatrixFederationCertificateExpiresSoon',
            exp_alerts: [
              {
                exp_labels: { severity: 'warning', server_name: soon },
                exp_annotations: {
                  // 13 days less the 11 minutes evaluated: 12d 23h 49m.
                  summary: `A certificate of ${soon} ends in 12d 23h 49m 0s`,
                  description: `The earliest certificate homeservers see for ${soon} ends within 14 days: renew it.`,
                },
              },
            ],
          },
        ],
      },
    ]);
  });

  it('a failing probe and a stalled monitor alert; a monitor that keeps checking does not', async () => {
    const stuck = 'stuck.example.org';
    const name = 'probe.example.org';
    const monitorLabels = (n: string): Record<string, string> => ({
      job: 'matrix-delegation',
      instance: 'tester.example.org:443',
      server_name: n,
    });
    await testRules('stalled-tests.yml', [
      {
        interval: '1m',
        input_series: [
          series('up', probeLabels(name), '0x30'),
          // Last checked at time 0 and never again; the other one every minute.
          series('matrix_federation_last_check_timestamp_seconds', monitorLabels(stuck), '0x30'),
          series('matrix_federation_last_check_timestamp_seconds', monitorLabels('busy.example.org'), '0+60x30'),
        ],
        alert_rule_test: [
          { eval_time: '14m', alertname: 'MatrixFederationProbeFailing', exp_alerts: [] },
          {
            eval_time: '16m',
            alertname: 'MatrixFederationProbeFailing',
            exp_alerts: [
              {
                exp_labels: { severity: 'warning', ...probeLabels(name) },
                exp_annotations: {
                  summary: `/probe of ${name} has failed for 15 minutes`,
                  description:
                    'The check could not be made (rate limit, busy tester, check over its budget): see the scrape error in Prometheus.',
                },
              },
            ],
          },
          // 900 s passed at 15m; then 5 minutes pending.
          { eval_time: '19m', alertname: 'MatrixDelegationMonitorStalled', exp_alerts: [] },
          {
            eval_time: '21m',
            alertname: 'MatrixDelegationMonitorStalled',
            exp_alerts: [
              {
                exp_labels: { severity: 'warning', server_name: stuck },
                exp_annotations: {
                  summary: `The monitor has not checked ${stuck} for three intervals`,
                  description:
                    "serve's monitor is stuck or its state store is unavailable (see its log); 300 is monitor.interval_seconds.",
                },
              },
            ],
          },
        ],
      },
    ]);
  });
});
