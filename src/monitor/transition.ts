// Change detection: the state after one more check, and the notifications that check is worth (pure).

import { baselineOf } from './observe.js';
import type {
  Baseline,
  BaselineChange,
  ChannelName,
  NameState,
  Notification,
  NotificationKind,
  Observation,
  PendingNotification,
} from './types.js';

const DAY_MS = 86_400_000;

/** Notifications kept per name while channels refuse them: the oldest go first past this. */
export const MAX_PENDING_PER_NAME = 50;

/** The thresholds of {@link advanceState} (the `monitor` config's). */
export interface TransitionSettings {
  readonly failuresBeforeAlert: number;
  /** 0 turns the expiry warning off. */
  readonly certificateWarningDays: number;
}

/** What {@link advanceState} needs besides the state and the observation. */
export interface TransitionContext {
  readonly settings: TransitionSettings;
  /** The channels configured now: each new notification waits for each of them. */
  readonly channels: readonly ChannelName[];
  /** A new unique notification id. */
  readonly newId: () => string;
}

/** The next state and the notifications made by the check (already queued in `state.pending`). */
export interface Transition {
  readonly state: NameState;
  readonly notifications: readonly Notification[];
}

/**
 * The state after `observation`, and what it is worth telling. Notifications come on changes of state, never on
 * every check:
 *
 * - `failing` once `failuresBeforeAlert` checks in a row have failed (federation does not work by the tester's rule),
 *   then nothing more while it keeps failing;
 * - `recovered` on the first working check after a `failing` one (fewer failures than the threshold end silently);
 * - `certificate-expiring` once per certificate end (the earliest `notAfter` servers sent) that comes within
 *   `certificateWarningDays`, whether federation works or not;
 * - `changed` when, federation working, the leaf certificates, the delegation (certificate name and port of each
 *   target) or the server version differ from the last working check's (after a recovery, the changes are in the
 *   `recovered` notification instead).
 *
 * @example
 * ```ts
 * const { state, notifications } = advanceState(previous, observeReport(report), { settings, channels: ['matrix'], newId: randomUUID });
 * ```
 */
export function advanceState(previous: NameState, observation: Observation, context: TransitionContext): Transition {
  const { settings } = context;
  const notifications: Notification[] = [];
  const now = observation.checkedAt;
  const make = (
    kind: NotificationKind,
    extra: { changes?: readonly BaselineChange[]; consecutiveFailures?: number } = {},
  ): void => {
    notifications.push({
      id: context.newId(),
      kind,
      serverName: previous.serverName,
      state: observation.ok ? 'ok' : 'failing',
      createdAt: now,
      summary: observation.summary,
      hints: observation.hints,
      consecutiveFailures: extra.consecutiveFailures ?? 0,
      changes: extra.changes ?? [],
      certificateExpiresAt: observation.certificateExpiresAt,
    });
  };

  let consecutiveFailures = previous.consecutiveFailures;
  let alerting = previous.alerting;
  let baseline = previous.baseline;
  if (!observation.ok) {
    consecutiveFailures += 1;
    if (!alerting && consecutiveFailures >= settings.failuresBeforeAlert) {
      alerting = true;
      make('failing', { consecutiveFailures });
    }
  } else {
    const next = baselineOf(observation);
    const changes = baseline === null ? [] : compareBaselines(baseline, next);
    if (alerting) make('recovered', { changes });
    else if (changes.length > 0) make('changed', { changes });
    consecutiveFailures = 0;
    alerting = false;
    baseline = next;
  }

  let warnedExpiry = previous.warnedExpiry;
  const expiry = observation.certificateExpiresAt;
  const window = settings.certificateWarningDays * DAY_MS;
  if (expiry !== null && window > 0 && expiry > now && expiry - now <= window) {
    if (warnedExpiry !== expiry) {
      make('certificate-expiring');
      warnedExpiry = expiry;
    }
  } else if (expiry !== null && expiry - now > window) {
    // Renewed: a later certificate that comes near its end is warned about again.
    warnedExpiry = null;
  }

  const queued: PendingNotification[] = notifications.map((notification) => ({
    notification,
    channels: Object.fromEntries(
      context.channels.map((channel) => [channel, { attempts: 0, nextAttemptAt: now, lastError: null }]),
    ),
  }));
  const pending = [...previous.pending, ...(context.channels.length === 0 ? [] : queued)];
  return {
    state: {
      serverName: previous.serverName,
      consecutiveFailures,
      alerting,
      baseline,
      warnedExpiry,
      last: observation,
      pending: pending.slice(Math.max(0, pending.length - MAX_PENDING_PER_NAME)),
    },
    notifications,
  };
}

/** What changed between two baselines, in a fixed order: certificate, delegation, server version. */
export function compareBaselines(before: Baseline, after: Baseline): BaselineChange[] {
  const changes: BaselineChange[] = [];
  const list = (values: readonly string[]): string => (values.length === 0 ? '(none)' : values.join(', '));
  if (list(before.certificates) !== list(after.certificates) && after.certificates.length > 0)
    changes.push({ what: 'certificate', from: list(before.certificates), to: list(after.certificates) });
  if (list(before.delegation) !== list(after.delegation))
    changes.push({ what: 'delegation', from: list(before.delegation), to: list(after.delegation) });
  if (before.serverVersion !== null && after.serverVersion !== null && before.serverVersion !== after.serverVersion)
    changes.push({ what: 'server-version', from: before.serverVersion, to: after.serverVersion });
  return changes;
}
