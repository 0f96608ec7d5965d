// The monitor: checks every watched name on a jittered schedule, a few at a time, keeps its state and notifies changes.

import { randomUUID } from 'node:crypto';
import type * as CheckerModule from '../checker/check.js';
import type { CheckOptions, CheckReport } from '../checker/types.js';
import type { MonitorConfig } from '../config/types.js';
import { toNativeJson } from '../report/native.js';
import type { NotificationChannel } from './channels/types.js';
import { RETRY_DEFAULTS, deliverPending, nextDeliveryAt } from './delivery.js';
import type { DeliveryEvent, RetrySettings } from './delivery.js';
import { observeReport } from './observe.js';
import type { MonitorStateStore } from './state-store.js';
import { advanceState } from './transition.js';
import { initialState } from './types.js';
import type {
  ChannelName,
  MonitorCheckFunction,
  MonitorLogger,
  NameState,
  Notification,
  Observation,
} from './types.js';

/** The check budget when the options give none [30 s, the tester's default]. */
const DEFAULT_CHECK_TIMEOUT_MS = 30_000;
/** What a lease adds to the check budget: the deliveries after the check [2 min]. */
const LEASE_MARGIN_MS = 120_000;
/** Jitter of each interval: the next check comes after 90 % to 110 % of it, so names do not stay in step. */
const JITTER = 0.1;
/** A check is due again once this share of the interval has passed since the last one, by whichever instance. */
const DUE_SHARE = 1 - 1.5 * JITTER;
/** New names are first checked within this, spread at random (or within the interval, when shorter) [60 s]. */
const FIRST_CHECK_SPREAD_MS = 60_000;
/** After the store failed (Redis down), a name is tried again after this, or its interval when shorter [10 s]. */
const STORE_RETRY_MS = 10_000;

/** Options of {@link createMonitor}. */
export interface MonitorOptions {
  /** The `monitor` section. */
  readonly settings: MonitorConfig;
  /** Where states, leases and the last reports are kept. The monitor closes it. */
  readonly store: MonitorStateStore;
  /** The channels notifications go to (built from `settings.notify` by `createChannels`). The monitor closes them. */
  readonly channels?: readonly NotificationChannel[];
  /** Options of every check (the tester's network settings, the command line's flags), `timeoutMs` included. */
  readonly checkOptions?: CheckOptions;
  /** The check [checkServer, loaded on the first check]. */
  readonly check?: MonitorCheckFunction;
  readonly logger?: MonitorLogger;
  /** Replaces `settings.intervalSeconds` (tests and `watch --interval-ms`: below the 5 s the config allows). */
  readonly intervalMs?: number;
  /** The back-off of failed deliveries [{@link RETRY_DEFAULTS}]. */
  readonly retry?: Partial<RetrySettings>;
  /** Told after every check of this instance (the `watch` command prints them). */
  readonly onCheck?: (event: MonitorCheckEvent) => void;
  /** Told after every delivery attempt. */
  readonly onDelivery?: (event: DeliveryEvent) => void;
  /** [Math.random] */
  readonly random?: () => number;
}

/** One check made by this instance. */
export interface MonitorCheckEvent {
  readonly serverName: string;
  readonly observation: Observation;
  readonly state: NameState;
  readonly notifications: readonly Notification[];
  readonly report: CheckReport;
}

/** What the monitor knows of one watched name (this instance's view; with Redis, at most one interval old). */
export interface WatchedName {
  readonly serverName: string;
  /** The last state seen, or null before the first check (or before the store could be read). */
  readonly state: NameState | null;
  /** The last report as native JSON text, or null when none is known here. */
  readonly reportJson: string | null;
  /** When this instance looks at the name next (ms since the epoch). */
  readonly nextCheckAt: number;
  /** A check of it runs now. */
  readonly running: boolean;
}

/** A running monitor. */
export interface Monitor {
  /** The settings in force. */
  readonly settings: MonitorConfig;
  /** The interval in force, ms. */
  readonly intervalMs: number;
  /** Every watched name, in the order of `settings.servers`. */
  names(): WatchedName[];
  /** One watched name, or undefined when it is not watched. */
  name(serverName: string): WatchedName | undefined;
  /**
   * Applies a reload: names added are checked soon, names removed are forgotten (their state too), a new interval
   * or threshold applies from the next check, and `channels` replace the old ones (closed once idle). Notifications
   * pending for a channel that is gone are dropped for it.
   */
  update(settings: MonitorConfig, channels: readonly NotificationChannel[], checkOptions?: CheckOptions): void;
  /** Stops: no new check starts, running ones are aborted, then the channels and the store are closed. */
  close(): Promise<void>;
}

interface Entry {
  readonly serverName: string;
  dueAt: number;
  running: boolean;
  state: NameState | null;
  reportJson: string | null;
  /** `state.last.checkedAt` of the report held in `reportJson`. */
  reportCheckedAt: number | null;
}

let checkerModule: Promise<typeof CheckerModule> | undefined;
/** `checkServer`, loaded on the first check (the checker is most of the package's code). */
const checkServerOnDemand: MonitorCheckFunction = async (serverName, options) => {
  checkerModule ??= import('../checker/check.js');
  return (await checkerModule).checkServer(serverName, options);
};

/**
 * Starts watching `settings.servers`. Each name is checked every interval (90 % to 110 % of it, at random, so that
 * names drift apart), at most `settings.maxInFlight` at once, with `checkServer` and the options given (the same
 * deny-list and trust as the tester). For each name, under its lease: the stored state is read, the check runs when
 * due (with Redis, another instance may have just done it: then this one only refreshes its view), the new state
 * and the notifications it makes ({@link advanceState}) are saved before any is sent, then the due deliveries are
 * attempted ({@link deliverPending}) and the state saved again. A restart reads the state back: nothing already
 * notified is sent again, and nothing pending is lost.
 *
 * @example
 * ```ts
 * const monitor = createMonitor({ settings: config.monitor, store: createMemoryStateStore(), channels: await createChannels(config.monitor.notify) });
 * // later
 * await monitor.close();
 * ```
 */
export function createMonitor(options: MonitorOptions): Monitor {
  const { store, logger } = options;
  const check = options.check ?? checkServerOnDemand;
  const random = options.random ?? Math.random;
  const retry: RetrySettings = { ...RETRY_DEFAULTS, ...options.retry };
  let settings = options.settings;
  let checkOptions: CheckOptions = options.checkOptions ?? {};
  let channels = new Map<ChannelName, NotificationChannel>((options.channels ?? []).map((c) => [c.name, c]));
  const retired = new Set<NotificationChannel>();
  const intervalOf = (s: MonitorConfig): number => options.intervalMs ?? s.intervalSeconds * 1000;
  let intervalMs = intervalOf(settings);
  const entries = new Map<string, Entry>();
  const controllers = new Set<AbortController>();
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let inFlight = 0;
  let storeDown = false;

  const jittered = (): number => intervalMs * (1 - JITTER + 2 * JITTER * random());
  const firstCheckAt = (now: number): number => now + random() * Math.min(intervalMs, FIRST_CHECK_SPREAD_MS);
  const leaseMs = (): number => (checkOptions.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS) + LEASE_MARGIN_MS;

  const addName = (serverName: string, now: number): void => {
    entries.set(serverName, {
      serverName,
      dueAt: firstCheckAt(now),
      running: false,
      state: null,
      reportJson: null,
      reportCheckedAt: null,
    });
  };
  for (const name of settings.servers) addName(name, Date.now());

  /** When to look at a name again, from its state: the next check, or a delivery due before it. */
  const nextLook = (state: NameState | null, now: number): number => {
    const lastChecked = state?.last?.checkedAt ?? null;
    let at = lastChecked === null ? now + jittered() : lastChecked + jittered();
    const delivery = state === null ? null : nextDeliveryAt(state);
    if (delivery !== null && delivery < at) at = delivery;
    return Math.max(at, now + 10);
  };

  const schedule = (): void => {
    if (closed) return;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (inFlight >= settings.maxInFlight) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const e of entries.values()) if (!e.running && e.dueAt < earliest) earliest = e.dueAt;
    if (earliest === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(pump, Math.max(0, Math.min(earliest - Date.now(), 2 ** 31 - 1)));
  };

  function pump(): void {
    timer = null;
    if (closed) return;
    const now = Date.now();
    while (inFlight < settings.maxInFlight) {
      let next: Entry | null = null;
      for (const e of entries.values())
        if (!e.running && e.dueAt <= now && (next === null || e.dueAt < next.dueAt)) next = e;
      if (next === null) break;
      const entry = next;
      entry.running = true;
      inFlight += 1;
      const work = visit(entry).finally(() => {
        entry.running = false;
        inFlight -= 1;
        running.delete(work);
        schedule();
      });
      running.add(work);
    }
    schedule();
  }

  async function runCheck(serverName: string): Promise<CheckReport> {
    const controller = new AbortController();
    controllers.add(controller);
    try {
      return await check(serverName, {
        ...checkOptions,
        timeoutMs: checkOptions.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
        signal: controller.signal,
      });
    } finally {
      controllers.delete(controller);
    }
  }

  const storeFailed = (entry: Entry, error: unknown): void => {
    if (!storeDown)
      logger?.error(
        { store: store.kind, where: store.where, err: error },
        'monitor: the state store cannot be used; watched names wait for it',
      );
    storeDown = true;
    entry.dueAt = Date.now() + Math.min(intervalMs, STORE_RETRY_MS);
  };

  async function visit(entry: Entry): Promise<void> {
    const { serverName } = entry;
    let token: string | null;
    try {
      token = await store.acquire(serverName, leaseMs());
      if (token === null) {
        // Another instance works on this name now: look again once its check is probably done.
        const state = (await store.load(serverName)) ?? null;
        if (state !== null) entry.state = state;
        const now = Date.now();
        const after = nextLook(state, now);
        entry.dueAt = after > now + intervalMs * JITTER ? after : now + Math.min(intervalMs, STORE_RETRY_MS);
        return;
      }
    } catch (error) {
      storeFailed(entry, error);
      return;
    }
    if (storeDown) {
      storeDown = false;
      logger?.info({ store: store.kind, where: store.where }, 'monitor: the state store works again');
    }
    try {
      let state = (await store.load(serverName)) ?? initialState(serverName);
      const lastChecked = state.last?.checkedAt ?? null;
      const due = lastChecked === null || Date.now() >= lastChecked + intervalMs * DUE_SHARE;
      if (due && !closed && entries.get(serverName) === entry) {
        let report: CheckReport;
        try {
          report = await runCheck(serverName);
        } catch (error) {
          if (!closed)
            logger?.error({ serverName, err: error }, 'monitor: the check failed (not counted as a failure)');
          entry.state = state;
          entry.dueAt = Date.now() + jittered();
          return;
        }
        const before = state;
        const observation = observeReport(report, Date.now());
        const transition = advanceState(state, observation, {
          settings,
          channels: [...channels.keys()],
          newId: randomUUID,
        });
        // Saved before anything is sent: after a crash the notifications are still pending, never lost.
        if (!(await store.save(transition.state, token))) {
          logger?.warn(
            { serverName },
            'monitor: the lease expired during the check; another instance took the name over',
          );
          entry.dueAt = Date.now() + jittered();
          return;
        }
        state = transition.state;
        const reportJson = JSON.stringify(toNativeJson(report));
        entry.reportJson = reportJson;
        entry.reportCheckedAt = observation.checkedAt;
        if (store.kind === 'redis') await store.saveReport(serverName, reportJson, 2 * intervalMs + leaseMs());
        logCheck(serverName, transition.state, observation, before);
        for (const n of transition.notifications)
          logger?.info({ serverName, kind: n.kind, id: n.id, channels: [...channels.keys()] }, 'monitor: notification');
        entry.state = state;
        options.onCheck?.({
          serverName,
          observation,
          state,
          notifications: transition.notifications,
          report,
        });
      } else if (store.kind === 'redis' && lastChecked !== null && entry.reportCheckedAt !== lastChecked) {
        // Checked by another instance: keep this instance's view (page, /api/monitor, gauges) in step.
        const json = await store.loadReport(serverName);
        if (json !== undefined) {
          entry.reportJson = json;
          entry.reportCheckedAt = lastChecked;
        }
      }
      const deadline = Date.now() + LEASE_MARGIN_MS / 2;
      const delivered = await deliverPending(state, {
        channels,
        retry,
        pageUrl: settings.pageUrl,
        now: Date.now,
        until: deadline,
        onEvent: logDelivery,
      });
      if (delivered !== state) {
        if (await store.save(delivered, token)) state = delivered;
      }
      entry.state = state;
      entry.dueAt = nextLook(state, Date.now());
    } catch (error) {
      storeFailed(entry, error);
    } finally {
      await store.release(serverName, token).catch(() => undefined);
    }
  }

  function logCheck(serverName: string, next: NameState, observation: Observation, previous: NameState): void {
    const wasOk = previous.last?.ok ?? null;
    const detail = {
      serverName,
      federationOk: observation.ok,
      consecutiveFailures: next.consecutiveFailures,
      durationMs: Math.round(observation.durationMs),
    };
    if (wasOk !== null && wasOk !== observation.ok)
      logger?.info(detail, observation.ok ? 'monitor: federation works again' : 'monitor: federation fails');
    else logger?.debug(detail, 'monitor: checked');
  }

  function logDelivery(event: DeliveryEvent): void {
    const detail = {
      serverName: event.notification.serverName,
      kind: event.notification.kind,
      id: event.notification.id,
      channel: event.channel.name,
      target: event.channel.target,
      attempt: event.attempt,
    };
    if (event.outcome === 'sent') logger?.info(detail, 'monitor: notification sent');
    else if (event.outcome === 'failed')
      logger?.warn(
        { ...detail, error: event.error, nextAttemptAt: new Date(event.nextAttemptAt ?? 0).toISOString() },
        'monitor: notification not sent; retrying later',
      );
    else logger?.error({ ...detail, error: event.error }, 'monitor: notification dropped after a day of failures');
    options.onDelivery?.(event);
  }

  const view = (e: Entry): WatchedName => ({
    serverName: e.serverName,
    state: e.state,
    reportJson: e.reportJson,
    nextCheckAt: e.dueAt,
    running: e.running,
  });

  /**
   * Reads what the store holds of `names` before their first visit, so that after a restart the page, `/api/monitor`
   * and `/metrics` show the last known state at once, and each name's next check keeps to its schedule (no burst of
   * checks of every name at a restart).
   */
  async function warmUp(names: readonly string[]): Promise<void> {
    await Promise.all(
      names.map(async (name) => {
        const entry = entries.get(name);
        if (entry === undefined) return;
        try {
          const state = await store.load(name);
          if (state === undefined || entry.state !== null) return;
          entry.state = state;
          if (!entry.running) entry.dueAt = nextLook(state, Date.now());
          const checkedAt = state.last?.checkedAt ?? null;
          if (checkedAt !== null && entry.reportJson === null) {
            const json = await store.loadReport(name);
            if (json !== undefined && entry.reportJson === null) {
              entry.reportJson = json;
              entry.reportCheckedAt = checkedAt;
            }
          }
        } catch {
          // The first visit reads the store again and reports the failure.
        }
      }),
    );
    schedule();
  }

  const closeChannels = async (list: Iterable<NotificationChannel>): Promise<void> => {
    await Promise.all([...list].map((c) => c.close().catch(() => undefined)));
  };

  schedule();
  void warmUp(settings.servers);

  return {
    get settings() {
      return settings;
    },
    get intervalMs() {
      return intervalMs;
    },
    names() {
      return settings.servers.flatMap((name) => {
        const e = entries.get(name);
        return e === undefined ? [] : [view(e)];
      });
    },
    name(serverName) {
      const e = entries.get(serverName);
      return e === undefined ? undefined : view(e);
    },
    update(next, nextChannels, nextCheckOptions) {
      if (closed) return;
      const now = Date.now();
      settings = next;
      intervalMs = intervalOf(next);
      if (nextCheckOptions !== undefined) checkOptions = nextCheckOptions;
      const keep = new Set(next.servers);
      const added: string[] = [];
      for (const name of [...entries.keys()]) if (!keep.has(name)) entries.delete(name);
      for (const name of next.servers) {
        const e = entries.get(name);
        if (e === undefined) {
          addName(name, now);
          added.push(name);
        } else if (!e.running) e.dueAt = Math.min(e.dueAt, nextLook(e.state, now));
      }
      const previous = [...channels.values()];
      channels = new Map(nextChannels.map((c) => [c.name, c]));
      const replaced = previous.filter((c) => !nextChannels.includes(c));
      for (const c of replaced) retired.add(c);
      // Closed once the deliveries under way have had their time.
      setTimeout(() => {
        for (const c of replaced) retired.delete(c);
        void closeChannels(replaced);
      }, LEASE_MARGIN_MS / 2).unref();
      store
        .retain(keep)
        .catch((error: unknown) => logger?.warn({ err: error }, 'monitor: forgetting removed names failed'));
      logger?.info(
        { servers: next.servers.length, intervalMs, channels: nextChannels.map((c) => c.name) },
        'monitor: settings applied',
      );
      schedule();
      void warmUp(added);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== null) clearTimeout(timer);
      for (const c of controllers) c.abort(new Error('the monitor is stopping'));
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
      ]);
      await closeChannels([...channels.values(), ...retired]);
      await store.close();
    },
  };
}
