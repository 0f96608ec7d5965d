// The `monitor:` section of the config: names and defaults as the issue writes them, every mistake with key, problem and
// fix, secrets read from files or the environment and never shown.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatConfigErrors, parseConfig } from '../../src/config/index.js';
import type { ConfigResult, MonitorConfig } from '../../src/config/index.js';

let dir: string;
const TOKEN = 'syt_bW9uaXRvcg_secret_token';
const PASSWORD = 'hunter2-smtp-password';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-monitor-config-'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  writeFileSync(join(dir, 'password'), PASSWORD);
  writeFileSync(join(dir, 'empty'), '\n');
  writeFileSync(join(dir, 'two-lines'), `${TOKEN}\nsecond line\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse(yaml: string, env: Record<string, string> = {}): ConfigResult {
  return parseConfig(`server_name: example.com\n${yaml}`, { sourceName: 'serve.yaml', baseDir: dir, env });
}

function monitor(yaml: string, env: Record<string, string> = {}): MonitorConfig {
  const result = parse(yaml, env);
  if (!result.ok) throw new Error(formatConfigErrors(result.errors));
  if (result.config.monitor === null) throw new Error('no monitor');
  return result.config.monitor;
}

/** The errors of a refused config as [key, code]. */
function errors(yaml: string, env: Record<string, string> = {}): [string, string][] {
  const result = parse(yaml, env);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.errors.map((e) => [e.key, e.code]);
}

/** Everything a refused config says (errors and warnings), as an admin would read it. */
function allText(yaml: string, env: Record<string, string> = {}): string {
  const result = parse(yaml, env);
  return result.ok
    ? result.warnings.join('\n')
    : `${formatConfigErrors(result.errors, 'serve.yaml')}\n${JSON.stringify(result.errors)}\n${result.warnings.join('\n')}`;
}

describe('monitor: the issue example', () => {
  it('reads the keys as the issue names them, with the defaults it gives', () => {
    const m = monitor(
      [
        'monitor:',
        '  servers: [example.org, example.net]',
        '  interval_seconds: 300',
        '  failures_before_alert: 2',
        '  certificate_warning_days: 14',
        '  notify:',
        '    webhook: { url: "https://hooks.example.org/matrix" }',
        '    email: { smtp_url: "smtp://mail.example.org:587", username: monitor, from: "monitor@example.org", to: ["admin@example.org"], password_file: password }',
        '    matrix: { homeserver: "https://matrix.example.org", access_token_file: token, room_id: "!abc:example.org" }',
      ].join('\n'),
    );
    expect(m).toMatchObject({
      servers: ['example.org', 'example.net'],
      intervalSeconds: 300,
      failuresBeforeAlert: 2,
      certificateWarningDays: 14,
      notify: {
        webhook: { url: 'https://hooks.example.org/matrix' },
        email: { smtpUrl: 'smtp://mail.example.org:587', username: 'monitor', from: 'monitor@example.org' },
        matrix: { homeserver: 'https://matrix.example.org', roomId: '!abc:example.org' },
      },
    });
    // Secrets come from their files, without the trailing line break, and print as [redacted] everywhere.
    expect(m.notify.matrix?.accessToken.reveal()).toBe(TOKEN);
    expect(m.notify.email?.password?.reveal()).toBe(PASSWORD);
    expect(JSON.stringify(m)).not.toContain(TOKEN);
    expect(JSON.stringify(m)).not.toContain(PASSWORD);
    expect(inspect(m, { depth: 10 })).not.toContain(TOKEN);
    expect(`${String(m.notify.matrix?.accessToken)}`).toBe('[redacted]');
  });

  it('defaults: 300 s, 2 failures, 14 days, 8 at once, no state path, no page URL', () => {
    expect(monitor('monitor:\n  servers: [example.org]\n  notify: {}')).toEqual({
      servers: ['example.org'],
      intervalSeconds: 300,
      failuresBeforeAlert: 2,
      certificateWarningDays: 14,
      maxInFlight: 8,
      statePath: null,
      pageUrl: null,
      notify: { webhook: null, email: null, matrix: null },
    });
  });

  it('reads secrets from environment variables', () => {
    const m = monitor(
      'monitor:\n  servers: [example.org]\n  notify:\n    matrix: { homeserver: "https://matrix.example.org", access_token_env: BOT_TOKEN, room_id: "!abc:example.org" }',
      { BOT_TOKEN: TOKEN },
    );
    expect(m.notify.matrix?.accessToken.reveal()).toBe(TOKEN);
  });

  it('lists a name twice only once, with a warning', () => {
    const result = parse('monitor:\n  servers: [example.org, Example.org]\n  notify: {}');
    expect(result.ok && result.config.monitor?.servers).toEqual(['example.org']);
    expect(result.warnings.some((w) => w.startsWith('monitor.servers[1]') && w.includes('twice'))).toBe(true);
  });
});

describe('monitor: mistakes name the key, the problem and the fix', () => {
  it.each([
    ['no servers', 'monitor:\n  interval_seconds: 60', [['monitor.servers', 'required']]],
    ['an empty list', 'monitor:\n  servers: []', [['monitor.servers', 'empty']]],
    [
      'a URL as a name',
      'monitor:\n  servers: [example.org, "https://example.net/"]',
      [['monitor.servers[1]', 'invalid-server-name']],
    ],
    [
      'an interval under 5 s',
      'monitor:\n  servers: [example.org]\n  interval_seconds: 2',
      [['monitor.interval_seconds', 'out-of-range']],
    ],
    [
      'a quoted number',
      'monitor:\n  servers: [example.org]\n  failures_before_alert: "2"',
      [['monitor.failures_before_alert', 'wrong-type']],
    ],
    [
      'zero failures',
      'monitor:\n  servers: [example.org]\n  failures_before_alert: 0',
      [['monitor.failures_before_alert', 'out-of-range']],
    ],
    [
      'negative days',
      'monitor:\n  servers: [example.org]\n  certificate_warning_days: -1',
      [['monitor.certificate_warning_days', 'out-of-range']],
    ],
    [
      'a page URL with a query',
      'monitor:\n  servers: [example.org]\n  page_url: "https://t.example.org/?x=1"',
      [['monitor.page_url', 'invalid-url']],
    ],
    [
      'a webhook without URL',
      'monitor:\n  servers: [example.org]\n  notify:\n    webhook: {}',
      [['monitor.notify.webhook.url', 'required']],
    ],
    [
      'a webhook on ftp',
      'monitor:\n  servers: [example.org]\n  notify:\n    webhook: { url: "ftp://hooks.example.org/x" }',
      [['monitor.notify.webhook.url', 'invalid-url']],
    ],
    [
      'e-mail without recipients',
      'monitor:\n  servers: [example.org]\n  notify:\n    email: { smtp_url: "smtp://mail.example.org", from: "m@example.org" }',
      [['monitor.notify.email.to', 'required']],
    ],
    [
      'a recipient that is no address',
      'monitor:\n  servers: [example.org]\n  notify:\n    email: { smtp_url: "smtp://mail.example.org", from: "m@example.org", to: ["admin"] }',
      [['monitor.notify.email.to[0]', 'invalid-email']],
    ],
    [
      'a header in the sender',
      'monitor:\n  servers: [example.org]\n  notify:\n    email: { smtp_url: "smtp://mail.example.org", from: "m@example.org\\nBcc: x@example.net", to: ["a@example.org"] }',
      [['monitor.notify.email.from', 'invalid-email']],
    ],
    [
      'SMTP over http',
      'monitor:\n  servers: [example.org]\n  notify:\n    email: { smtp_url: "http://mail.example.org", from: "m@example.org", to: ["a@example.org"] }',
      [['monitor.notify.email.smtp_url', 'invalid-url']],
    ],
    [
      'a user without password',
      'monitor:\n  servers: [example.org]\n  notify:\n    email: { smtp_url: "smtp://mail.example.org", username: u, from: "m@example.org", to: ["a@example.org"] }',
      [['monitor.notify.email.password_file', 'required']],
    ],
    [
      'a room alias',
      'monitor:\n  servers: [example.org]\n  notify:\n    matrix: { homeserver: "https://m.example.org", access_token_file: token, room_id: "#ops:example.org" }',
      [['monitor.notify.matrix.room_id', 'invalid-room-id']],
    ],
    [
      'no access token',
      'monitor:\n  servers: [example.org]\n  notify:\n    matrix: { homeserver: "https://m.example.org", room_id: "!r:example.org" }',
      [['monitor.notify.matrix.access_token_file', 'required']],
    ],
    [
      'a token file that is missing',
      'monitor:\n  servers: [example.org]\n  notify:\n    matrix: { homeserver: "https://m.example.org", access_token_file: nope, room_id: "!r:example.org" }',
      [['monitor.notify.matrix.access_token_file', 'file-missing']],
    ],
    [
      'an empty token file',
      'monitor:\n  servers: [example.org]\n  notify:\n    matrix: { homeserver: "https://m.example.org", access_token_file: empty, room_id: "!r:example.org" }',
      [['monitor.notify.matrix.access_token_file', 'empty']],
    ],
    [
      'an unset variable',
      'monitor:\n  servers: [example.org]\n  notify:\n    matrix: { homeserver: "https://m.example.org", access_token_env: NOT_SET, room_id: "!r:example.org" }',
      [['monitor.notify.matrix.access_token_env', 'env-missing']],
    ],
    [
      'both a file and a variable',
      'monitor:\n  servers: [example.org]\n  notify:\n    matrix: { homeserver: "https://m.example.org", access_token_file: token, access_token_env: X, room_id: "!r:example.org" }',
      [['monitor.notify.matrix.access_token_env', 'forbidden-key']],
    ],
  ] as const)('%s', (_label, yaml, expected) => {
    expect(errors(yaml)).toEqual(expected);
    // Every error has its line, and a fix.
    const result = parse(yaml);
    for (const e of result.ok ? [] : result.errors) {
      expect(e.line, e.key).toBeGreaterThan(1);
      expect(e.fix.length, e.key).toBeGreaterThan(10);
    }
  });

  it('a misspelt key gets a warning with the key it resembles', () => {
    const result = parse(
      'monitor:\n  servers: [example.org]\n  interval_second: 60\n  failures_before_alrt: 3\n  notify: {}',
    );
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        'monitor.interval_second (line 4): unknown key, ignored; did you mean "interval_seconds"?',
        'monitor.failures_before_alrt (line 5): unknown key, ignored; did you mean "failures_before_alert"?',
      ]),
    );
  });

  it('state_path is ignored (with a warning) when the state is in Redis', () => {
    const result = parse(
      'cache_store: { kind: redis, url: "redis://127.0.0.1:6379" }\nmonitor:\n  servers: [example.org]\n  state_path: /var/lib/x.json\n  notify: {}',
    );
    expect(result.ok).toBe(true);
    expect(result.warnings.some((w) => w.startsWith('monitor.state_path') && w.includes('Redis'))).toBe(true);
  });
});

describe('monitor: secrets are never echoed', () => {
  it('a password inside smtp_url is refused without showing it', () => {
    const yaml = `monitor:\n  servers: [example.org]\n  notify:\n    email: { smtp_url: "smtp://monitor:${PASSWORD}@mail.example.org:587", from: "m@example.org", to: ["a@example.org"] }`;
    expect(errors(yaml)).toEqual([['monitor.notify.email.smtp_url', 'inline-secret']]);
    expect(allText(yaml)).not.toContain(PASSWORD);
  });

  it('a token in the path or query of a bad webhook or homeserver URL is not shown', () => {
    const hook = 'ftp://hooks.example.org/T0K3N-in-path?token=T0K3N-in-query';
    expect(allText(`monitor:\n  servers: [example.org]\n  notify:\n    webhook: { url: "${hook}" }`)).not.toMatch(
      /T0K3N/,
    );
    const hs = `https://m.example.org/?access_token=${TOKEN}`;
    const yaml = `monitor:\n  servers: [example.org]\n  notify:\n    matrix: { homeserver: "${hs}", access_token_file: token, room_id: "!r:example.org" }`;
    expect(errors(yaml)).toEqual([['monitor.notify.matrix.homeserver', 'inline-secret']]);
    expect(allText(yaml)).not.toContain(TOKEN);
  });

  it('a token file of two lines is refused without showing its content', () => {
    const yaml =
      'monitor:\n  servers: [example.org]\n  notify:\n    matrix: { homeserver: "https://m.example.org", access_token_file: two-lines, room_id: "!r:example.org" }';
    expect(errors(yaml)).toEqual([['monitor.notify.matrix.access_token_file', 'wrong-type']]);
    expect(allText(yaml)).not.toContain(TOKEN);
  });

  it('a secret given where the name of a variable belongs is not shown', () => {
    const yaml = `monitor:\n  servers: [example.org]\n  notify:\n    matrix: { homeserver: "https://m.example.org", access_token_env: "${TOKEN}!", room_id: "!r:example.org" }`;
    expect(errors(yaml)).toEqual([['monitor.notify.matrix.access_token_env', 'wrong-type']]);
    expect(allText(yaml)).not.toContain(TOKEN);
  });
});
