// Where the monitor keeps each name's state: the port, and the in-memory store (one process, nothing kept on exit).

import { randomUUID } from 'node:crypto';
import type { NameState } from './types.js';

/**
 * A store of the monitor's state per name, with a lease per name: the instance that holds a name's lease is the only
 * one that checks it, changes its state and sends its notifications, until it releases it or the lease expires.
 * Methods reject when the store cannot be used (Redis unreachable, the disk full); the monitor then skips that name
 * for a while and says so, rather than check without a lease.
 */
export interface MonitorStateStore {
  readonly kind: 'memory' | 'file' | 'redis';
  /** Where the state is, for logs (a path, or a Redis URL without its password). */
  readonly where: string;
  /** Takes the lease of `name` for `ms`: a token when this instance may work on it now, null when another holds it. */
  acquire(name: string, ms: number): Promise<string | null>;
  /** Gives the lease back (only if `token` still holds it). */
  release(name: string, token: string): Promise<void>;
  /** The stored state of `name`, or undefined (never checked, or unreadable: the store logs which). */
  load(name: string): Promise<NameState | undefined>;
  /**
   * Stores `state` while `token` holds the lease; resolves once it is durable (a file written and renamed, Redis
   * answered). False when the lease was lost meanwhile: another instance owns the name now, and this state is dropped.
   */
  save(state: NameState, token: string): Promise<boolean>;
  /** Keeps the last report of `name` (native JSON) for `ttlMs`, for instances that did not run the check. */
  saveReport(name: string, json: string, ttlMs: number): Promise<void>;
  /** The last report of `name` kept by {@link saveReport}, if any. */
  loadReport(name: string): Promise<string | undefined>;
  /** Forgets the names not in `keep` (a reload removed them). */
  retain(keep: ReadonlySet<string>): Promise<void>;
  /** Releases files and connections; the store must not be used afterwards. */
  close(): Promise<void>;
}

/** In-process leases: one holder per name until it releases or its time is up. */
export class LocalLeases {
  readonly #held = new Map<string, { token: string; until: number }>();

  acquire(name: string, ms: number, now: number = Date.now()): string | null {
    const current = this.#held.get(name);
    if (current !== undefined && current.until > now) return null;
    const token = randomUUID();
    this.#held.set(name, { token, until: now + ms });
    return token;
  }

  holds(name: string, token: string, now: number = Date.now()): boolean {
    const current = this.#held.get(name);
    return current !== undefined && current.token === token && current.until > now;
  }

  release(name: string, token: string): void {
    if (this.#held.get(name)?.token === token) this.#held.delete(name);
  }
}

/**
 * A store in this process only: states are lost when it ends (`watch` without `--state-file`, tests).
 *
 * @example
 * ```ts
 * const monitor = createMonitor({ settings, store: createMemoryStateStore() });
 * ```
 */
export function createMemoryStateStore(): MonitorStateStore {
  const states = new Map<string, NameState>();
  const reports = new Map<string, string>();
  const leases = new LocalLeases();
  return {
    kind: 'memory',
    where: '(memory)',
    acquire: (name, ms) => Promise.resolve(leases.acquire(name, ms)),
    release: (name, token) => Promise.resolve(leases.release(name, token)),
    load: (name) => Promise.resolve(states.get(name)),
    save(state, token) {
      if (!leases.holds(state.serverName, token)) return Promise.resolve(false);
      states.set(state.serverName, state);
      return Promise.resolve(true);
    },
    saveReport(name, json) {
      reports.set(name, json);
      return Promise.resolve();
    },
    loadReport: (name) => Promise.resolve(reports.get(name)),
    retain(keep) {
      for (const name of [...states.keys()]) if (!keep.has(name)) states.delete(name);
      for (const name of [...reports.keys()]) if (!keep.has(name)) reports.delete(name);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
