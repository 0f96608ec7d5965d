// The monitor's model: what a check is reduced to, the state kept per watched name, and the notifications it makes.

import type { CheckOptions, CheckReport } from '../checker/types.js';

/** The function that checks a server (`checkServer`; tests may wrap it). */
export type MonitorCheckFunction = (serverName: string, options: CheckOptions) => Promise<CheckReport>;

/** Something that logs like pino: the server's logger fits, and the CLI passes its own. */
export interface MonitorLogger {
  debug(detail: Readonly<Record<string, unknown>>, message: string): void;
  info(detail: Readonly<Record<string, unknown>>, message: string): void;
  warn(detail: Readonly<Record<string, unknown>>, message: string): void;
  error(detail: Readonly<Record<string, unknown>>, message: string): void;
}

/** A hint as notifications carry it: its stable id, how much it matters and its title. */
export interface HintHeadline {
  readonly id: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly title: string;
}

/**
 * What the monitor keeps of one check: the verdict and the facts whose change is worth a notification, small enough
 * to store for every watched name (the report itself is kept apart, as JSON).
 */
export interface Observation {
  /** Federation works, by the tester's rule (`report.federationOk`). */
  readonly ok: boolean;
  /** When the check finished, ms since the epoch. */
  readonly checkedAt: number;
  readonly durationMs: number;
  /** The report's one-sentence summary. */
  readonly summary: string;
  readonly hints: readonly HintHeadline[];
  readonly addressesOk: number;
  readonly addressesFailed: number;
  /** The earliest `notAfter` of every certificate servers sent (ms since the epoch), or null when none was seen. */
  readonly certificateExpiresAt: number | null;
  /** SHA-256 fingerprints of the leaf certificates, sorted, without repeats. */
  readonly certificates: readonly string[];
  /** Where other servers connect: `certificate name:port` of each target, sorted, without repeats. */
  readonly delegation: readonly string[];
  /** The well-known delegates (`m.server` was served and valid). */
  readonly wellKnownDelegated: boolean;
  /** The server software as `/_matrix/federation/v1/version` names it, or nulls. */
  readonly serverVersion: { readonly name: string | null; readonly version: string | null };
}

/** The facts whose change, while federation works, makes a `changed` notification. */
export interface Baseline {
  readonly certificates: readonly string[];
  readonly delegation: readonly string[];
  /** `name version`, or null when unknown. */
  readonly serverVersion: string | null;
}

/** What a notification is about. */
export type NotificationKind = 'failing' | 'recovered' | 'certificate-expiring' | 'changed';

/** One change of a {@link Baseline} fact. */
export interface BaselineChange {
  readonly what: 'certificate' | 'delegation' | 'server-version';
  readonly from: string;
  readonly to: string;
}

/** A notification: made once, when the state changes; sent to every channel, and kept until each has taken it. */
export interface Notification {
  /**
   * Stable and unique: the Matrix transaction ID, the e-mail Message-ID and the webhook's `id`, so that a retry (or a
   * send repeated after a crash) is recognisable as the same notification.
   */
  readonly id: string;
  readonly kind: NotificationKind;
  readonly serverName: string;
  /** The state after the check: `failing` or `ok`. */
  readonly state: 'failing' | 'ok';
  /** When it was made, ms since the epoch. */
  readonly createdAt: number;
  /** The check's summary. */
  readonly summary: string;
  readonly hints: readonly HintHeadline[];
  readonly consecutiveFailures: number;
  /** For `changed` (and `recovered`, when something changed meanwhile). */
  readonly changes: readonly BaselineChange[];
  /**
   * When the earliest certificate the check saw expires (ms since the epoch), whatever the kind (the one a
   * `certificate-expiring` warns of), or null when the check saw none.
   */
  readonly certificateExpiresAt: number | null;
}

/** The names of the channels. */
export const CHANNEL_NAMES = ['webhook', 'email', 'matrix'] as const;

/** A notification channel's name. */
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Where a notification stands with one channel it has not reached yet. */
export interface ChannelDelivery {
  /** Attempts made so far. */
  readonly attempts: number;
  /** Not before this time (ms since the epoch): the back-off after a failure, or a rate limit's wait. */
  readonly nextAttemptAt: number;
  /** Why the last attempt failed, or null. */
  readonly lastError: string | null;
}

/** A notification some channel has not taken yet. */
export interface PendingNotification {
  readonly notification: Notification;
  /** The channels still to reach (a channel that took it is removed). */
  readonly channels: Readonly<Partial<Record<ChannelName, ChannelDelivery>>>;
}

/** Everything the monitor keeps about one watched name; what survives a restart (a file, or Redis). */
export interface NameState {
  readonly serverName: string;
  /** Failed checks in a row. */
  readonly consecutiveFailures: number;
  /** An alert was sent and no recovery since. */
  readonly alerting: boolean;
  /** The facts of the last working check, to tell a change; null before the first working check. */
  readonly baseline: Baseline | null;
  /** The certificate expiry already warned about (ms since the epoch), or null. */
  readonly warnedExpiry: number | null;
  /** The last check, or null before the first. */
  readonly last: Observation | null;
  /** Notifications not yet taken by every channel, oldest first. */
  readonly pending: readonly PendingNotification[];
}

/** The state of a name never checked. */
export function initialState(serverName: string): NameState {
  return {
    serverName,
    consecutiveFailures: 0,
    alerting: false,
    baseline: null,
    warnedExpiry: null,
    last: null,
    pending: [],
  };
}
