// Validates `monitor`: the watched names, the schedule, the thresholds and the notification channels with their secrets.

import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_LOCALE, localize, type Localized } from '../i18n/index.js';
import { parseServerName, serverNameProblem } from '../server-name/index.js';
import { CONFIG_TEXTS } from './config-texts.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import { present, readInteger, readSection, readString, readStringList } from './fields.js';
import type { RawMapping } from './fields.js';
import type { ConfigIssues } from './issues.js';
import { describeFileProblem } from './read-file.js';
import { EMAIL_KEYS, MATRIX_NOTIFY_KEYS, MONITOR_KEYS, NOTIFY_KEYS, WEBHOOK_KEYS } from './schema.js';
import { Secret } from './secret.js';
import type {
  ConfigPathSegment,
  EmailNotifyConfig,
  MatrixNotifyConfig,
  MonitorConfig,
  NotifyConfig,
  WebhookNotifyConfig,
} from './types.js';
import { checkHttpUrl } from './url.js';
import type { FileAccess } from './validate-listeners.js';
import { MONITOR_TEXTS } from './validate-monitor-texts.js';

/** The monitor checks' words in the issues' language. */
function texts(issues: ConfigIssues): Localized<(typeof MONITOR_TEXTS)['en']> {
  return localize(MONITOR_TEXTS, issues.locale);
}

/** The environment the `*_env` keys read (process.env, or a test's). */
export type SecretEnvironment = Readonly<Record<string, string | undefined>>;

const PATH = ['monitor'] as const;
const NOTIFY_PATH = ['monitor', 'notify'] as const;

/**
 * Most watched names. 1,000 names at a 5-minute interval cost about 5 % of one core and 13 KiB of heap each
 * (BENCHMARKS.md, "Watching 1,000 names"); ten times that is about half a core, and the file store's save grows with the
 * names (22 ms of CPU per save at 10,000): docs/monitor.md says to use Redis for thousands.
 */
export const MAX_WATCHED_SERVERS = 10_000;
/** The shortest interval: a check takes seconds and contacts someone else's server. */
export const MIN_INTERVAL_SECONDS = 5;
const DAY_SECONDS = 86_400;

/** An environment variable name as shells write them. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Validates `monitor` (defaults: {@link CONFIG_DEFAULTS}.monitor); null when the config has none. Every mistake names
 * its key; a secret (the SMTP password, the bot's access token) is read from the file or environment variable its
 * key names, and no message ever shows a secret or a URL's path and query (a webhook URL may hold a token).
 */
export function validateMonitor(
  issues: ConfigIssues,
  root: RawMapping,
  files: FileAccess,
  env: SecretEnvironment,
): MonitorConfig | null {
  const section = readSection(issues, root, 'monitor', [], MONITOR_KEYS);
  if (section === undefined) return null;
  const d = CONFIG_DEFAULTS.monitor;
  const servers = readServers(issues, section);
  const intervalSeconds = readInteger(issues, section, 'interval_seconds', PATH, {
    min: MIN_INTERVAL_SECONDS,
    max: DAY_SECONDS,
    fallback: d.intervalSeconds,
    unit: 'seconds',
  });
  const failuresBeforeAlert = readInteger(issues, section, 'failures_before_alert', PATH, {
    min: 1,
    max: 100,
    fallback: d.failuresBeforeAlert,
    unit: 'checks',
  });
  const certificateWarningDays = readInteger(issues, section, 'certificate_warning_days', PATH, {
    min: 0,
    max: 365,
    fallback: d.certificateWarningDays,
    unit: 'days',
  });
  const maxInFlight = readInteger(issues, section, 'max_in_flight', PATH, {
    min: 1,
    max: 256,
    fallback: d.maxInFlight,
    unit: 'checks',
  });
  let statePath: string | null = null;
  const stateText = readString(issues, section, 'state_path', PATH, '/var/lib/matrix-delegation/monitor-state.json');
  if (stateText !== undefined) {
    if (stateText.trim() === '' || stateText.includes('\0')) {
      const t = texts(issues);
      issues.error([...PATH, 'state_path'], 'empty', t('statePath.problem'), t('statePath.fix'));
    } else {
      statePath = isAbsolute(stateText) ? stateText : resolve(files.baseDir, stateText);
    }
  }
  let pageUrl: string | null = null;
  const pageText = readString(issues, section, 'page_url', PATH, 'https://tester.example.org/');
  if (pageText !== undefined)
    pageUrl =
      checkHttpUrl(issues, [...PATH, 'page_url'], pageText, {
        example: 'https://tester.example.org/',
        baseUrl: true,
      }) ?? null;
  const notify = readNotify(issues, section, files, env);
  return {
    servers,
    intervalSeconds,
    failuresBeforeAlert,
    certificateWarningDays,
    maxInFlight,
    statePath,
    pageUrl,
    notify,
  };
}

function readServers(issues: ConfigIssues, section: RawMapping): string[] {
  const t = texts(issues);
  const key = [...PATH, 'servers'];
  if (present(section, 'servers') === undefined) {
    issues.error(key, 'required', t('servers.missingProblem'), t('servers.missingFix'));
    return [];
  }
  const entries = readStringList(issues, section, 'servers', PATH, 'example.org');
  if (entries === undefined) return [];
  const raw = present(section, 'servers');
  if (Array.isArray(raw) && raw.length === 0) {
    issues.error(key, 'empty', t('servers.emptyProblem'), t('servers.emptyFix'));
    return [];
  }
  if (entries.length > MAX_WATCHED_SERVERS) {
    issues.error(
      key,
      'out-of-range',
      t('servers.tooManyProblem', { count: entries.length, max: MAX_WATCHED_SERVERS }),
      t('servers.tooManyFix'),
    );
    return [];
  }
  const servers: string[] = [];
  const seen = new Set<string>();
  for (const { value, index } of entries) {
    const parsed = parseServerName(value);
    if (!parsed.ok) {
      issues.error(
        [...key, index],
        'invalid-server-name',
        t('servers.invalidProblem', {
          value: JSON.stringify(value),
          problem: serverNameProblem(parsed.error, issues.locale),
        }),
        /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? t('servers.urlFix') : t('servers.invalidFix'),
      );
      continue;
    }
    // DNS names are case-insensitive: Example.org and example.org are one server, checked once.
    const folded = value.toLowerCase();
    if (seen.has(folded)) {
      issues.warn([...key, index], t('servers.twice', { value: JSON.stringify(value) }));
      continue;
    }
    seen.add(folded);
    servers.push(value);
  }
  return servers;
}

function readNotify(
  issues: ConfigIssues,
  section: RawMapping,
  files: FileAccess,
  env: SecretEnvironment,
): NotifyConfig {
  const t = texts(issues);
  const notify = readSection(issues, section, 'notify', PATH, NOTIFY_KEYS);
  if (notify === undefined) {
    issues.warn([...PATH], t('notify.none'));
    return { webhook: null, email: null, matrix: null };
  }
  const webhookSection = readSection(issues, notify, 'webhook', NOTIFY_PATH, WEBHOOK_KEYS);
  const emailSection = readSection(issues, notify, 'email', NOTIFY_PATH, EMAIL_KEYS);
  const matrixSection = readSection(issues, notify, 'matrix', NOTIFY_PATH, MATRIX_NOTIFY_KEYS);
  const result: NotifyConfig = {
    webhook: webhookSection === undefined ? null : readWebhook(issues, webhookSection),
    email: emailSection === undefined ? null : readEmail(issues, emailSection, files, env),
    matrix: matrixSection === undefined ? null : readMatrix(issues, matrixSection, files, env),
  };
  if (webhookSection === undefined && emailSection === undefined && matrixSection === undefined)
    issues.warn([...NOTIFY_PATH], t('notify.noChannel'));
  return result;
}

function readWebhook(issues: ConfigIssues, section: RawMapping): WebhookNotifyConfig {
  const path = [...NOTIFY_PATH, 'webhook'];
  const text = readString(issues, section, 'url', path, 'https://hooks.example.org/matrix');
  if (text === undefined) {
    if (present(section, 'url') === undefined) {
      const t = texts(issues);
      issues.error([...path, 'url'], 'required', t('webhook.noUrlProblem'), t('webhook.noUrlFix'));
    }
    return { url: '' };
  }
  const url = checkSecretBearingUrl(issues, [...path, 'url'], text, {
    schemes: ['http:', 'https:'],
    example: 'https://hooks.example.org/matrix',
    query: true,
  });
  return { url: url === undefined ? '' : text };
}

function readEmail(
  issues: ConfigIssues,
  section: RawMapping,
  files: FileAccess,
  env: SecretEnvironment,
): EmailNotifyConfig {
  const t = texts(issues);
  const path = [...NOTIFY_PATH, 'email'];
  const example = 'smtp://mail.example.org:587';
  let smtpUrl = '';
  let urlUser: string | null = null;
  const urlText = readString(issues, section, 'smtp_url', path, example);
  if (urlText === undefined) {
    if (present(section, 'smtp_url') === undefined)
      issues.error([...path, 'smtp_url'], 'required', t('email.noServerProblem'), t('email.noServerFix', { example }));
  } else {
    const url = checkSecretBearingUrl(issues, [...path, 'smtp_url'], urlText, {
      schemes: ['smtp:', 'smtps:'],
      example,
      query: false,
      user: true,
    });
    if (url !== undefined) {
      if (url.username !== '') urlUser = decodeURIComponent(url.username);
      smtpUrl = `${url.protocol}//${url.host}`;
    }
  }
  const userText = readString(issues, section, 'username', path, 'monitor@example.org');
  if (userText !== undefined && urlUser !== null)
    issues.error([...path, 'username'], 'forbidden-key', t('email.userTwiceProblem'), t('email.userTwiceFix'));
  const username = userText ?? urlUser;
  const password = readSecret(issues, section, path, files, env, {
    fileKey: 'password_file',
    envKey: 'password_env',
    what: 'email.password',
    required: false,
  });
  if (password !== null && username === null)
    issues.error([...path, 'username'], 'required', t('email.noUserProblem'), t('email.noUserFix'));
  const passwordGiven =
    present(section, 'password_file') !== undefined || present(section, 'password_env') !== undefined;
  if (username !== null && !passwordGiven)
    issues.error(
      [...path, 'password_file'],
      'required',
      t('email.noPasswordProblem', { user: JSON.stringify(username) }),
      t('email.noPasswordFix'),
    );
  const from = readAddress(issues, section, path, 'from');
  const to: string[] = [];
  if (present(section, 'to') === undefined) {
    issues.error([...path, 'to'], 'required', t('email.noRecipientProblem'), t('email.recipientFix'));
  } else {
    const entries = readStringList(issues, section, 'to', path, 'admin@example.org') ?? [];
    if (entries.length === 0 && Array.isArray(section['to']))
      issues.error([...path, 'to'], 'empty', t('email.noRecipientsProblem'), t('email.recipientFix'));
    for (const { value, index } of entries) if (checkAddress(issues, [...path, 'to', index], value)) to.push(value);
  }
  return { smtpUrl, username, password, from: from ?? '', to };
}

function readMatrix(
  issues: ConfigIssues,
  section: RawMapping,
  files: FileAccess,
  env: SecretEnvironment,
): MatrixNotifyConfig {
  const t = texts(issues);
  const path = [...NOTIFY_PATH, 'matrix'];
  const example = 'https://matrix.example.org';
  let homeserver = '';
  const text = readString(issues, section, 'homeserver', path, example);
  if (text === undefined) {
    if (present(section, 'homeserver') === undefined)
      issues.error(
        [...path, 'homeserver'],
        'required',
        t('matrix.noHomeserverProblem'),
        t('matrix.noHomeserverFix', { example }),
      );
  } else {
    const url = checkSecretBearingUrl(issues, [...path, 'homeserver'], text, {
      schemes: ['http:', 'https:'],
      example,
      query: false,
    });
    if (url !== undefined) homeserver = text.replace(/\/+$/, '');
  }
  const accessToken = readSecret(issues, section, path, files, env, {
    fileKey: 'access_token_file',
    envKey: 'access_token_env',
    what: 'matrix.token',
    required: true,
  });
  let roomId = '';
  const roomText = readString(issues, section, 'room_id', path, '!abc:example.org');
  if (roomText === undefined) {
    if (present(section, 'room_id') === undefined)
      issues.error([...path, 'room_id'], 'required', t('matrix.noRoomProblem'), t('matrix.noRoomFix'));
  } else if (checkRoomId(issues, [...path, 'room_id'], roomText)) {
    roomId = roomText;
  }
  return { homeserver, accessToken: accessToken ?? new Secret('', 'nowhere'), roomId };
}

/** The client-server API's room ID: `!` then an opaque part (room versions before 12 add `:server`). */
function checkRoomId(issues: ConfigIssues, path: readonly ConfigPathSegment[], text: string): boolean {
  const t = texts(issues);
  if (text.startsWith('#')) {
    issues.error(path, 'invalid-room-id', t('room.aliasProblem', { text: JSON.stringify(text) }), t('room.aliasFix'));
    return false;
  }
  if (!text.startsWith('!') || text.length < 2 || text.length > 255 || !/^[\x21-\x7e]+$/.test(text)) {
    issues.error(path, 'invalid-room-id', t('room.invalidProblem', { text: JSON.stringify(text) }), t('room.fix'));
    return false;
  }
  return true;
}

/** `from`: an address, or `Name <address>`. */
function readAddress(
  issues: ConfigIssues,
  section: RawMapping,
  path: readonly ConfigPathSegment[],
  key: string,
): string | undefined {
  const text = readString(issues, section, key, path, 'monitor@example.org');
  if (text === undefined) {
    if (present(section, key) === undefined) {
      const t = texts(issues);
      issues.error([...path, key], 'required', t('email.noSenderProblem'), t('email.noSenderFix', { key }));
    }
    return undefined;
  }
  return checkAddress(issues, [...path, key], text) ? text : undefined;
}

/**
 * An address (`name@example.org`) or a display name with one (`Monitor <name@example.org>`). No line breaks or
 * control characters: they would let a value write headers of its own.
 */
function checkAddress(issues: ConfigIssues, path: readonly ConfigPathSegment[], text: string): boolean {
  const match = /^(?:[^<>]*<([^\s@<>]+@[^\s@<>]+)>|([^\s@<>]+@[^\s@<>]+))$/.exec(text.trim());
  if (match === null || hasControlCharacter(text, true)) {
    const t = texts(issues);
    issues.error(
      path,
      'invalid-email',
      t('email.invalidProblem', { text: JSON.stringify(text) }),
      t('email.invalidFix'),
    );
    return false;
  }
  return true;
}

/** What {@link checkSecretBearingUrl} accepts. */
interface SecretUrlRule {
  readonly schemes: readonly string[];
  readonly example: string;
  /** A query string is allowed (webhooks often carry a token in it). */
  readonly query: boolean;
  /** A user name (without password) is allowed (smtp://user@host). */
  readonly user?: boolean;
}

/**
 * Checks a URL that may hold a secret (a webhook's token in its path or query, a password after the user name).
 * Messages show the scheme and host at most, never the rest; a password in it is refused: secrets come from files
 * or environment variables only.
 */
function checkSecretBearingUrl(
  issues: ConfigIssues,
  path: readonly ConfigPathSegment[],
  text: string,
  rule: SecretUrlRule,
): URL | undefined {
  const t = texts(issues);
  const schemes = rule.schemes.map((s) => s.slice(0, -1)).join(' or ');
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (url === null || !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const bare = /^[\w.-]+(:\d+)?(\/|$)/.test(text);
    issues.error(
      path,
      'invalid-url',
      t('url.notAbsoluteProblem', { schemes }),
      bare
        ? t('url.addScheme', { scheme: rule.schemes[0]?.slice(0, -1) ?? '' })
        : t('url.writeFull', { example: rule.example }),
    );
    return undefined;
  }
  const shown = `${url.protocol}//${url.host}`;
  if (url.password !== '') {
    issues.error(
      path,
      'inline-secret',
      t('url.passwordProblem', { url: shown }),
      rule.user === true ? t('url.passwordFixUser') : t('url.passwordFix'),
    );
    return undefined;
  }
  if (!rule.schemes.includes(url.protocol)) {
    issues.error(
      path,
      'invalid-url',
      t('url.schemeProblem', { url: shown, scheme: url.protocol.slice(0, -1), schemes }),
      t('url.writeAs', { example: rule.example }),
    );
    return undefined;
  }
  if (url.hostname === '') {
    issues.error(path, 'invalid-url', t('url.noHostProblem'), t('url.writeFull', { example: rule.example }));
    return undefined;
  }
  if (url.username !== '' && rule.user !== true) {
    issues.error(path, 'inline-secret', t('url.userProblem', { url: shown }), t('url.userFix'));
    return undefined;
  }
  if (/\s/.test(text)) {
    issues.error(path, 'invalid-url', t('url.spaceProblem', { url: shown }), t('url.spaceFix'));
    return undefined;
  }
  const hasPath = url.pathname !== '/' && url.pathname !== '';
  if (!rule.query && (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#'))) {
    issues.error(
      path,
      url.search.toLowerCase().includes('access_token') ? 'inline-secret' : 'invalid-url',
      t('url.queryProblem', { url: shown }),
      t('url.queryFix', { example: rule.example }),
    );
    return undefined;
  }
  if ((url.protocol === 'smtp:' || url.protocol === 'smtps:') && hasPath) {
    issues.error(
      path,
      'invalid-url',
      t('url.smtpPathProblem', { url: shown }),
      t('url.smtpPathFix', { example: rule.example }),
    );
    return undefined;
  }
  return url;
}

/** Where a secret is read from: a file key and an environment key of the same section. */
interface SecretKeys {
  readonly fileKey: string;
  readonly envKey: string;
  /** What the secret is, in messages: a message of the monitor's texts (`the SMTP password`). */
  readonly what: 'email.password' | 'matrix.token';
  readonly required: boolean;
}

/**
 * Reads a secret from the file named by `fileKey` or the environment variable named by `envKey` (exactly one of
 * them). A file's trailing line breaks are dropped (editors add one); anything else that is not a single line of
 * printable characters is refused, without ever showing the content.
 */
function readSecret(
  issues: ConfigIssues,
  section: RawMapping,
  path: readonly ConfigPathSegment[],
  files: FileAccess,
  env: SecretEnvironment,
  keys: SecretKeys,
): Secret | null {
  const t = texts(issues);
  const what = t(keys.what);
  const fileText = readString(issues, section, keys.fileKey, path, '/etc/matrix-delegation/secret');
  const envText = readString(issues, section, keys.envKey, path, 'SECRET');
  const given = present(section, keys.fileKey) !== undefined || present(section, keys.envKey) !== undefined;
  if (fileText !== undefined && envText !== undefined) {
    issues.error(
      [...path, keys.envKey],
      'forbidden-key',
      t('secret.twiceProblem', { what, fileKey: keys.fileKey, envKey: keys.envKey }),
      t('secret.twiceFix', { fileKey: keys.fileKey, envKey: keys.envKey }),
    );
    return null;
  }
  if (fileText !== undefined) return readSecretFile(issues, [...path, keys.fileKey], fileText, files, keys.what);
  if (envText !== undefined) return readSecretEnv(issues, [...path, keys.envKey], envText, env, keys.what);
  if (keys.required && !given)
    issues.error(
      [...path, keys.fileKey],
      'required',
      t('secret.missingProblem', { what }),
      t('secret.missingFix', { fileKey: keys.fileKey, envKey: keys.envKey }),
    );
  return null;
}

function readSecretFile(
  issues: ConfigIssues,
  key: readonly ConfigPathSegment[],
  configured: string,
  files: FileAccess,
  secret: SecretKeys['what'],
): Secret | null {
  const t = texts(issues);
  const what = t(secret);
  const path = isAbsolute(configured) ? configured : resolve(files.baseDir, configured);
  let text: string;
  try {
    text = files.readTextFile(path);
  } catch (cause) {
    const p = describeFileProblem(
      cause,
      {
        shown: localize(CONFIG_TEXTS, issues.locale)('file.shown', { path }),
        setting: String(key[key.length - 1]),
        what,
        missing: t('secret.fileMissing', { what }),
        unreadable: t('secret.fileUnreadable'),
      },
      issues.locale,
    );
    issues.error(key, p.code, p.problem, p.fix);
    return null;
  }
  const value = text.replace(/[\r\n]+$/, '');
  return checkSecretValue(issues, key, value, { file: path }, secret);
}

function readSecretEnv(
  issues: ConfigIssues,
  key: readonly ConfigPathSegment[],
  name: string,
  env: SecretEnvironment,
  secret: SecretKeys['what'],
): Secret | null {
  const t = texts(issues);
  if (!ENV_NAME.test(name)) {
    issues.error(
      key,
      'wrong-type',
      // Not shown: a secret written here by mistake must not end up in a log.
      t('secret.envNameProblem'),
      t('secret.envNameFix'),
    );
    return null;
  }
  const value = env[name];
  if (value === undefined || value === '') {
    issues.error(
      key,
      'env-missing',
      value === undefined ? t('secret.envUnset', { name }) : t('secret.envEmpty', { name }),
      t('secret.envFix', { name, what: t(secret) }),
    );
    return null;
  }
  return checkSecretValue(issues, key, value, { env: name }, secret);
}

function checkSecretValue(
  issues: ConfigIssues,
  key: readonly ConfigPathSegment[],
  value: string,
  from: { readonly file: string } | { readonly env: string },
  secret: SecretKeys['what'],
): Secret | null {
  const t = texts(issues);
  const what = t(secret);
  const sourceIn = (text: typeof t): string =>
    'file' in from ? text('secret.sourceFile', { path: from.file }) : text('secret.sourceEnv', { name: from.env });
  const source = sourceIn(t);
  if (value.trim() === '') {
    issues.error(key, 'empty', t('secret.emptyProblem', { source }), t('secret.emptyFix', { what }));
    return null;
  }
  // Control characters (a second line above all) would break the header or command the secret goes into.
  if (hasControlCharacter(value, false)) {
    issues.error(key, 'wrong-type', t('secret.linesProblem', { source }), t('secret.linesFix', { what }));
    return null;
  }
  // The secret's own description (shown when it is printed, redacted, in logs) stays in English, as logs do.
  return new Secret(value, sourceIn(localize(MONITOR_TEXTS, DEFAULT_LOCALE)));
}

/** Whether `text` holds a C0 control character or DEL (`withTab`: TAB counts too). */
function hasControlCharacter(text: string, withTab: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && (withTab || code !== 0x09)) || code === 0x7f) return true;
  }
  return false;
}
