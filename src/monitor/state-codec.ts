// The stored form of a name's state: versioned JSON, read back with every field checked (a damaged entry is no state).

import { CHANNEL_NAMES } from './types.js';
import type {
  Baseline,
  BaselineChange,
  ChannelDelivery,
  ChannelName,
  HintHeadline,
  NameState,
  Notification,
  Observation,
  PendingNotification,
} from './types.js';

/** The version of the stored form; a different one is not read (the name starts afresh). */
export const STATE_FORMAT_VERSION = 1;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

/** The JSON text of a state (with the format version). */
export function encodeState(state: NameState): string {
  return JSON.stringify({ v: STATE_FORMAT_VERSION, ...state });
}

/**
 * A state read from storage, or undefined when the value is not a state of this format for `serverName` (damaged,
 * of another version, or written by something else): the caller starts that name afresh and says so.
 */
export function decodeState(serverName: string, value: unknown): NameState | undefined {
  let data: unknown = value;
  if (isString(value)) {
    try {
      data = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!isObject(data) || data['v'] !== STATE_FORMAT_VERSION || data['serverName'] !== serverName) return undefined;
  const baseline = data['baseline'] === null ? null : readBaseline(data['baseline']);
  const last = data['last'] === null ? null : readObservation(data['last']);
  const pending = Array.isArray(data['pending']) ? data['pending'].map(readPending) : undefined;
  if (
    !isCount(data['consecutiveFailures']) ||
    typeof data['alerting'] !== 'boolean' ||
    baseline === undefined ||
    !(data['warnedExpiry'] === null || isTime(data['warnedExpiry'])) ||
    last === undefined ||
    pending === undefined ||
    pending.some((p) => p === undefined)
  )
    return undefined;
  return {
    serverName,
    consecutiveFailures: data['consecutiveFailures'],
    alerting: data['alerting'],
    baseline,
    warnedExpiry: data['warnedExpiry'],
    last,
    pending: pending as PendingNotification[],
  };
}

function readBaseline(v: unknown): Baseline | undefined {
  if (!isObject(v) || !isStringList(v['certificates']) || !isStringList(v['delegation'])) return undefined;
  if (!(v['serverVersion'] === null || isString(v['serverVersion']))) return undefined;
  return { certificates: v['certificates'], delegation: v['delegation'], serverVersion: v['serverVersion'] };
}

function readHints(v: unknown): HintHeadline[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const hints: HintHeadline[] = [];
  for (const h of v) {
    if (!isObject(h) || !isString(h['id']) || !isString(h['title'])) return undefined;
    const severity = h['severity'];
    if (severity !== 'error' && severity !== 'warning' && severity !== 'info') return undefined;
    hints.push({ id: h['id'], severity, title: h['title'] });
  }
  return hints;
}

function readObservation(v: unknown): Observation | undefined {
  if (!isObject(v)) return undefined;
  const hints = readHints(v['hints']);
  const version = v['serverVersion'];
  if (
    typeof v['ok'] !== 'boolean' ||
    !isTime(v['checkedAt']) ||
    !isTime(v['durationMs']) ||
    !isString(v['summary']) ||
    hints === undefined ||
    !isCount(v['addressesOk']) ||
    !isCount(v['addressesFailed']) ||
    !(v['certificateExpiresAt'] === null || isTime(v['certificateExpiresAt'])) ||
    !isStringList(v['certificates']) ||
    !isStringList(v['delegation']) ||
    typeof v['wellKnownDelegated'] !== 'boolean' ||
    !isObject(version) ||
    !(version['name'] === null || isString(version['name'])) ||
    !(version['version'] === null || isString(version['version']))
  )
    return undefined;
  return {
    ok: v['ok'],
    checkedAt: v['checkedAt'],
    durationMs: v['durationMs'],
    summary: v['summary'],
    hints,
    addressesOk: v['addressesOk'],
    addressesFailed: v['addressesFailed'],
    certificateExpiresAt: v['certificateExpiresAt'],
    certificates: v['certificates'],
    delegation: v['delegation'],
    wellKnownDelegated: v['wellKnownDelegated'],
    serverVersion: { name: version['name'], version: version['version'] },
  };
}

const KINDS = new Set(['failing', 'recovered', 'certificate-expiring', 'changed']);
const CHANGES = new Set(['certificate', 'delegation', 'server-version']);

function readNotification(v: unknown): Notification | undefined {
  if (!isObject(v)) return undefined;
  const hints = readHints(v['hints']);
  const changes = Array.isArray(v['changes']) ? v['changes'] : undefined;
  if (
    !isString(v['id']) ||
    !isString(v['kind']) ||
    !KINDS.has(v['kind']) ||
    !isString(v['serverName']) ||
    (v['state'] !== 'failing' && v['state'] !== 'ok') ||
    !isTime(v['createdAt']) ||
    !isString(v['summary']) ||
    hints === undefined ||
    !isCount(v['consecutiveFailures']) ||
    changes === undefined ||
    !changes.every(
      (c) => isObject(c) && isString(c['what']) && CHANGES.has(c['what']) && isString(c['from']) && isString(c['to']),
    ) ||
    !(v['certificateExpiresAt'] === null || isTime(v['certificateExpiresAt']))
  )
    return undefined;
  return {
    id: v['id'],
    kind: v['kind'] as Notification['kind'],
    serverName: v['serverName'],
    state: v['state'],
    createdAt: v['createdAt'],
    summary: v['summary'],
    hints,
    consecutiveFailures: v['consecutiveFailures'],
    changes: changes as BaselineChange[],
    certificateExpiresAt: v['certificateExpiresAt'],
  };
}

function readPending(v: unknown): PendingNotification | undefined {
  if (!isObject(v) || !isObject(v['channels'])) return undefined;
  const notification = readNotification(v['notification']);
  if (notification === undefined) return undefined;
  const channels: Partial<Record<ChannelName, ChannelDelivery>> = {};
  for (const [name, d] of Object.entries(v['channels'])) {
    if (!(CHANNEL_NAMES as readonly string[]).includes(name)) return undefined;
    if (!isObject(d) || !isCount(d['attempts']) || !isTime(d['nextAttemptAt'])) return undefined;
    if (!(d['lastError'] === null || isString(d['lastError']))) return undefined;
    channels[name as ChannelName] = {
      attempts: d['attempts'],
      nextAttemptAt: d['nextAttemptAt'],
      lastError: d['lastError'],
    };
  }
  return { notification, channels };
}
