// Validates `monitor`: the watched names, the schedule, the thresholds and the notification channels with their secrets.

import { isAbsolute, resolve } from 'node:path';
import { parseServerName } from '../server-name/index.js';
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

/** The environment the `*_env` keys read (process.env, or a test's). */
export type SecretEnvironment = Readonly<Record<string, string | undefined>>;

const PATH = ['monitor'] as const;
const NOTIFY_PATH = ['monitor', 'notify'] as const;

/** Most watched names: far above what one instance checks in a 5-minute interval (BENCHMARKS.md, monitor). */
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
      issues.error(
        [...PATH, 'state_path'],
        'empty',
        'the state file path is empty (or holds a NUL character)',
        'write a file path, e.g. /var/lib/matrix-delegation/monitor-state.json, or remove state_path for the default',
      );
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
  const key = [...PATH, 'servers'];
  if (present(section, 'servers') === undefined) {
    issues.error(
      key,
      'required',
      'the monitor has no server names to watch',
      'add servers: [example.org], the server names (the part after the colon in user IDs) to check',
    );
    return [];
  }
  const entries = readStringList(issues, section, 'servers', PATH, 'example.org');
  if (entries === undefined) return [];
  const raw = present(section, 'servers');
  if (Array.isArray(raw) && raw.length === 0) {
    issues.error(
      key,
      'empty',
      'the list of watched server names is empty',
      'add at least one name, e.g. servers: [example.org], or remove the monitor section',
    );
    return [];
  }
  if (entries.length > MAX_WATCHED_SERVERS) {
    issues.error(
      key,
      'out-of-range',
      `${entries.length} names is more than the ${MAX_WATCHED_SERVERS} one instance watches`,
      'split the names between instances sharing one Redis (cache_store: redis), or watch fewer',
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
        `${JSON.stringify(value)} is not a valid server name: ${parsed.error.message}`,
        /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
          ? 'write the server name alone, without scheme or path, e.g. example.org'
          : 'write a server name such as example.org or example.org:8448',
      );
      continue;
    }
    // DNS names are case-insensitive: Example.org and example.org are one server, checked once.
    const folded = value.toLowerCase();
    if (seen.has(folded)) {
      issues.warn([...key, index], `${JSON.stringify(value)} is listed twice; it is checked once`);
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
  const notify = readSection(issues, section, 'notify', PATH, NOTIFY_KEYS);
  if (notify === undefined) {
    issues.warn(
      [...PATH],
      'no notify channel: changes of state are only logged and shown on /api/monitor and /metrics; add notify: with webhook, email or matrix',
    );
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
    issues.warn(
      [...NOTIFY_PATH],
      'no channel configured: changes of state are only logged and shown on /api/monitor and /metrics',
    );
  return result;
}

function readWebhook(issues: ConfigIssues, section: RawMapping): WebhookNotifyConfig {
  const path = [...NOTIFY_PATH, 'webhook'];
  const text = readString(issues, section, 'url', path, 'https://hooks.example.org/matrix');
  if (text === undefined) {
    if (present(section, 'url') === undefined)
      issues.error(
        [...path, 'url'],
        'required',
        'the webhook has no URL',
        'add url: "https://hooks.example.org/matrix" (the address that receives a JSON POST per notification)',
      );
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
  const path = [...NOTIFY_PATH, 'email'];
  const example = 'smtp://mail.example.org:587';
  let smtpUrl = '';
  let urlUser: string | null = null;
  const urlText = readString(issues, section, 'smtp_url', path, example);
  if (urlText === undefined) {
    if (present(section, 'smtp_url') === undefined)
      issues.error(
        [...path, 'smtp_url'],
        'required',
        'e-mail notifications need the SMTP server',
        `add smtp_url: "${example}" (smtp:// with STARTTLS, or smtps:// for TLS from the start, usually port 465)`,
      );
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
    issues.error(
      [...path, 'username'],
      'forbidden-key',
      'the user name is given twice: in smtp_url and in username',
      'keep username and remove the user part from smtp_url',
    );
  const username = userText ?? urlUser;
  const password = readSecret(issues, section, path, files, env, {
    fileKey: 'password_file',
    envKey: 'password_env',
    what: 'the SMTP password',
    required: false,
  });
  if (password !== null && username === null)
    issues.error(
      [...path, 'username'],
      'required',
      'a password is set but no user name to log in with',
      'add username: monitor@example.org (the SMTP account)',
    );
  const passwordGiven =
    present(section, 'password_file') !== undefined || present(section, 'password_env') !== undefined;
  if (username !== null && !passwordGiven)
    issues.error(
      [...path, 'password_file'],
      'required',
      `the SMTP user ${JSON.stringify(username)} has no password`,
      'add password_file: /etc/matrix-delegation/smtp-password (a file holding only the password), or password_env: SMTP_PASSWORD',
    );
  const from = readAddress(issues, section, path, 'from');
  const to: string[] = [];
  if (present(section, 'to') === undefined) {
    issues.error(
      [...path, 'to'],
      'required',
      'e-mail notifications need at least one recipient',
      'add to: [admin@example.org]',
    );
  } else {
    const entries = readStringList(issues, section, 'to', path, 'admin@example.org') ?? [];
    if (entries.length === 0 && Array.isArray(section['to']))
      issues.error([...path, 'to'], 'empty', 'the list of recipients is empty', 'add to: [admin@example.org]');
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
  const path = [...NOTIFY_PATH, 'matrix'];
  const example = 'https://matrix.example.org';
  let homeserver = '';
  const text = readString(issues, section, 'homeserver', path, example);
  if (text === undefined) {
    if (present(section, 'homeserver') === undefined)
      issues.error(
        [...path, 'homeserver'],
        'required',
        "Matrix notifications need the bot's homeserver",
        `add homeserver: "${example}" (its client-server API base URL)`,
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
    what: "the bot's access token",
    required: true,
  });
  let roomId = '';
  const roomText = readString(issues, section, 'room_id', path, '!abc:example.org');
  if (roomText === undefined) {
    if (present(section, 'room_id') === undefined)
      issues.error(
        [...path, 'room_id'],
        'required',
        'Matrix notifications need the room to post to',
        'add room_id: "!abc:example.org" (Room settings > Advanced in Element; the bot must be in the room)',
      );
  } else if (checkRoomId(issues, [...path, 'room_id'], roomText)) {
    roomId = roomText;
  }
  return { homeserver, accessToken: accessToken ?? new Secret('', 'nowhere'), roomId };
}

/** The client-server API's room ID: `!` then an opaque part (room versions before 12 add `:server`). */
function checkRoomId(issues: ConfigIssues, path: readonly ConfigPathSegment[], text: string): boolean {
  const fix = 'write the room ID, e.g. "!abc:example.org" (quoted: YAML reads a leading ! as a tag)';
  if (text.startsWith('#')) {
    issues.error(
      path,
      'invalid-room-id',
      `${JSON.stringify(text)} is a room alias, not a room ID`,
      'use the room ID shown in Room settings > Advanced (it starts with !)',
    );
    return false;
  }
  if (!text.startsWith('!') || text.length < 2 || text.length > 255 || !/^[\x21-\x7e]+$/.test(text)) {
    issues.error(
      path,
      'invalid-room-id',
      `${JSON.stringify(text)} is not a room ID (! then letters, digits and punctuation, at most 255 characters)`,
      fix,
    );
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
    if (present(section, key) === undefined)
      issues.error(
        [...path, key],
        'required',
        'e-mail notifications need a sender address',
        `add ${key}: "matrix-delegation <monitor@example.org>"`,
      );
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
    issues.error(
      path,
      'invalid-email',
      `${JSON.stringify(text)} is not an e-mail address`,
      'write it as name@example.org, or "Name <name@example.org>"',
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
      `the value is not an absolute URL (${schemes}://host...)`,
      bare ? `add the scheme: ${rule.schemes[0]?.slice(0, -1)}://...` : `write a full URL, e.g. ${rule.example}`,
    );
    return undefined;
  }
  const shown = `${url.protocol}//${url.host}`;
  if (url.password !== '') {
    issues.error(
      path,
      'inline-secret',
      `the URL ${shown} holds a password, which would sit in the config file`,
      rule.user === true
        ? 'remove the password from the URL and put it in a file named by password_file (or an environment variable named by password_env)'
        : 'remove the user name and password from the URL',
    );
    return undefined;
  }
  if (!rule.schemes.includes(url.protocol)) {
    issues.error(
      path,
      'invalid-url',
      `the URL ${shown} uses the scheme ${url.protocol.slice(0, -1)}, not ${schemes}`,
      `write it as ${rule.example}`,
    );
    return undefined;
  }
  if (url.hostname === '') {
    issues.error(path, 'invalid-url', 'the URL has no host name', `write a full URL, e.g. ${rule.example}`);
    return undefined;
  }
  if (url.username !== '' && rule.user !== true) {
    issues.error(
      path,
      'inline-secret',
      `the URL ${shown} holds a user name, and with it credentials that would sit in the config file`,
      'remove the "user@" part',
    );
    return undefined;
  }
  if (/\s/.test(text)) {
    issues.error(path, 'invalid-url', `the URL ${shown}... contains white space`, 'percent-encode spaces as %20');
    return undefined;
  }
  const hasPath = url.pathname !== '/' && url.pathname !== '';
  if (!rule.query && (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#'))) {
    issues.error(
      path,
      url.search.toLowerCase().includes('access_token') ? 'inline-secret' : 'invalid-url',
      `the URL ${shown}... has a query or fragment, which this setting does not take`,
      `remove everything from "?" or "#" on (a token belongs in its own file), e.g. ${rule.example}`,
    );
    return undefined;
  }
  if ((url.protocol === 'smtp:' || url.protocol === 'smtps:') && hasPath) {
    issues.error(
      path,
      'invalid-url',
      `the SMTP URL ${shown} has a path, which SMTP does not use`,
      `write only the host and port, e.g. ${rule.example}`,
    );
    return undefined;
  }
  return url;
}

/** Where a secret is read from: a file key and an environment key of the same section. */
interface SecretKeys {
  readonly fileKey: string;
  readonly envKey: string;
  /** What the secret is, in messages (`the SMTP password`). */
  readonly what: string;
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
  const fileText = readString(issues, section, keys.fileKey, path, '/etc/matrix-delegation/secret');
  const envText = readString(issues, section, keys.envKey, path, 'SECRET');
  const given = present(section, keys.fileKey) !== undefined || present(section, keys.envKey) !== undefined;
  if (fileText !== undefined && envText !== undefined) {
    issues.error(
      [...path, keys.envKey],
      'forbidden-key',
      `${keys.what} is given twice: ${keys.fileKey} and ${keys.envKey}`,
      `keep one of them: ${keys.fileKey} (a file holding only the secret) or ${keys.envKey} (the name of an environment variable)`,
    );
    return null;
  }
  if (fileText !== undefined) return readSecretFile(issues, [...path, keys.fileKey], fileText, files, keys.what);
  if (envText !== undefined) return readSecretEnv(issues, [...path, keys.envKey], envText, env, keys.what);
  if (keys.required && !given)
    issues.error(
      [...path, keys.fileKey],
      'required',
      `${keys.what} is missing`,
      `add ${keys.fileKey}: /etc/matrix-delegation/bot-token (a file holding only the token, readable by the server's account), or ${keys.envKey}: MATRIX_TOKEN`,
    );
  return null;
}

function readSecretFile(
  issues: ConfigIssues,
  key: readonly ConfigPathSegment[],
  configured: string,
  files: FileAccess,
  what: string,
): Secret | null {
  const path = isAbsolute(configured) ? configured : resolve(files.baseDir, configured);
  let text: string;
  try {
    text = files.readTextFile(path);
  } catch (cause) {
    const p = describeFileProblem(cause, {
      shown: `the file ${path}`,
      setting: String(key[key.length - 1]),
      what: what,
      missing: `correct the path, or create the file holding only ${what}`,
      unreadable: 'make the file readable by the user running the server (and by no one else)',
    });
    issues.error(key, p.code, p.problem, p.fix);
    return null;
  }
  const value = text.replace(/[\r\n]+$/, '');
  return checkSecretValue(issues, key, value, `the file ${path}`, what);
}

function readSecretEnv(
  issues: ConfigIssues,
  key: readonly ConfigPathSegment[],
  name: string,
  env: SecretEnvironment,
  what: string,
): Secret | null {
  if (!ENV_NAME.test(name)) {
    issues.error(
      key,
      'wrong-type',
      // Not shown: a secret written here by mistake must not end up in a log.
      'the value is not the name of an environment variable',
      'write the variable name, e.g. SMTP_PASSWORD (letters, digits and _, not starting with a digit), not its value',
    );
    return null;
  }
  const value = env[name];
  if (value === undefined || value === '') {
    issues.error(
      key,
      'env-missing',
      `the environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}`,
      `set ${name} to ${what} in the server's environment (systemd: Environment= or EnvironmentFile=)`,
    );
    return null;
  }
  return checkSecretValue(issues, key, value, `the environment variable ${name}`, what);
}

function checkSecretValue(
  issues: ConfigIssues,
  key: readonly ConfigPathSegment[],
  value: string,
  source: string,
  what: string,
): Secret | null {
  if (value.trim() === '') {
    issues.error(key, 'empty', `${source} is empty`, `put ${what} in it, alone on one line`);
    return null;
  }
  // Control characters (a second line above all) would break the header or command the secret goes into.
  if (hasControlCharacter(value, false)) {
    issues.error(
      key,
      'wrong-type',
      `${source} holds more than one line, or control characters`,
      `keep only ${what} in it, on one line`,
    );
    return null;
  }
  return new Secret(value, source);
}

/** Whether `text` holds a C0 control character or DEL (`withTab`: TAB counts too). */
function hasControlCharacter(text: string, withTab: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && (withTab || code !== 0x09)) || code === 0x7f) return true;
  }
  return false;
}
