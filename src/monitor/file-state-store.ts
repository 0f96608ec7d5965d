// The monitor's state in one JSON file, replaced atomically on every change (write, fsync, rename), and locked to one process.

import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { MatrixDelegationError } from '../errors.js';
import { decodeState, encodeState, STATE_FORMAT_VERSION } from './state-codec.js';
import { LocalLeases } from './state-store.js';
import type { MonitorStateStore } from './state-store.js';
import type { MonitorLogger, NameState } from './types.js';

/** Largest state file read: 10,000 names with pending notifications stay far below it. */
const MAX_STATE_FILE_BYTES = 64 * 1024 * 1024;
const FILE_NAME = 'monitor-state.json';

/**
 * Where the state file goes when `monitor.state_path` is not set: `$STATE_DIRECTORY` (what systemd's
 * `StateDirectory=` sets), else `$XDG_STATE_HOME/matrix-delegation`, else `~/.local/state/matrix-delegation` (the
 * XDG base directory specification's default for state that should survive restarts).
 *
 * @example
 * ```ts
 * defaultStatePath({ STATE_DIRECTORY: '/var/lib/matrix-delegation' }); // '/var/lib/matrix-delegation/monitor-state.json'
 * ```
 */
export function defaultStatePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const systemd = env['STATE_DIRECTORY']?.split(':')[0];
  if (systemd !== undefined && systemd !== '') return join(systemd, FILE_NAME);
  const xdg = env['XDG_STATE_HOME'];
  if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'matrix-delegation', FILE_NAME);
  return join(homedir(), '.local', 'state', 'matrix-delegation', FILE_NAME);
}

/** Options of {@link openFileStateStore}. */
export interface FileStateStoreOptions {
  /** The state file (absolute). */
  readonly path: string;
  /** Create the file's directory when missing (the default location) [false]. */
  readonly createDirectory?: boolean;
  readonly logger?: MonitorLogger;
}

/** State files opened by this process (the lock file names the process, so it cannot tell two stores of one process apart). */
const OPEN_HERE = new Set<string>();

/** Whether a process with this id runs (a lock left by a crashed one is taken over). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<path>.lock` (holding this process's id), so that two processes never share one state file: each would
 * overwrite the other's. A lock whose process is gone is taken over.
 */
async function takeLock(lockPath: string, statePath: string): Promise<void> {
  if (OPEN_HERE.has(statePath))
    throw new MatrixDelegationError(
      'INVALID_CONFIG',
      `the monitor state file ${statePath} is already in use by another monitor of this process; give each its own monitor.state_path`,
    );
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      OPEN_HERE.add(statePath);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner))
        throw new MatrixDelegationError(
          'INVALID_CONFIG',
          `the monitor state file ${statePath} is in use by process ${owner} (its lock is ${lockPath}); give each process its own monitor.state_path (or share the state through cache_store: redis)`,
        );
      await rm(lockPath, { force: true });
    }
  }
}

/**
 * Opens the state file (creating it on the first save), reads what it holds, and locks it for this process. Each
 * save rewrites the whole file atomically: the JSON goes to a temporary file in the same directory, is flushed to
 * disk (fsync), and replaces the old file by a rename, so that a crash at any moment leaves either the old state or
 * the new one, never half of each; `save` resolves only then. Saves made while a write is under way are gathered into
 * the next write. A file that cannot be read as a state (damaged) is kept aside as `<path>.damaged-<time>` and the
 * monitor starts afresh, with an error logged.
 *
 * @throws MatrixDelegationError `INVALID_CONFIG` when another process holds the file, or its directory is missing.
 * @example
 * ```ts
 * const store = await openFileStateStore({ path: '/var/lib/matrix-delegation/monitor-state.json' });
 * ```
 */
export async function openFileStateStore(options: FileStateStoreOptions): Promise<MonitorStateStore> {
  const { path, logger } = options;
  const directory = dirname(path);
  if (options.createDirectory === true) await mkdir(directory, { recursive: true, mode: 0o700 });
  const lockPath = `${path}.lock`;
  try {
    await takeLock(lockPath, path);
  } catch (error) {
    if (error instanceof MatrixDelegationError) throw error;
    throw new MatrixDelegationError(
      'INVALID_CONFIG',
      `the monitor state file ${path} cannot be used: ${(error as Error).message}; create its directory, writable by the server's account, or set monitor.state_path`,
      { cause: error },
    );
  }
  const states = new Map<string, NameState>();
  /**
   * Each name's entry of the file (`"name":{...}`), encoded when its state is saved: a write joins them instead of
   * encoding every name again, which at 1,000 names was most of the monitor's CPU beyond the checks themselves
   * (BENCHMARKS.md, Watching 1,000 names).
   */
  const encoded = new Map<string, string>();
  const entryOf = (state: NameState): string => `${JSON.stringify(state.serverName)}:${encodeState(state)}`;
  const reports = new Map<string, string>();
  let text: string | null = null;
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error('not a regular file');
      if (stat.size > MAX_STATE_FILE_BYTES) throw new Error(`larger than ${MAX_STATE_FILE_BYTES} bytes`);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      OPEN_HERE.delete(path);
      await rm(lockPath, { force: true });
      throw new MatrixDelegationError(
        'INVALID_CONFIG',
        `the monitor state file ${path} cannot be read: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (text !== null) {
    let damaged = 0;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    const servers = (data as { servers?: unknown } | undefined)?.servers;
    if (
      typeof data !== 'object' ||
      data === null ||
      (data as { v?: unknown }).v !== STATE_FORMAT_VERSION ||
      typeof servers !== 'object' ||
      servers === null
    ) {
      const aside = `${path}.damaged-${Date.now()}`;
      await rename(path, aside).catch(() => undefined);
      logger?.error({ path, keptAs: aside }, 'the monitor state file is not a state of this version: starting afresh');
    } else {
      for (const [name, value] of Object.entries(servers as Record<string, unknown>)) {
        const state = decodeState(name, value);
        if (state === undefined) damaged += 1;
        else {
          states.set(name, state);
          encoded.set(name, entryOf(state));
        }
      }
      if (damaged > 0)
        logger?.error(
          { path, damaged },
          'monitor state: entries that cannot be read were dropped (those names start afresh)',
        );
    }
  }

  const leases = new LocalLeases();
  let generation = 0;
  let written = 0;
  let writing: Promise<void> | null = null;
  let closed = false;

  const serialise = (): string => {
    return `{"v":${STATE_FORMAT_VERSION},"servers":{${[...encoded.values()].join(',')}}}\n`;
  };
  const writeOnce = async (): Promise<void> => {
    const target = generation;
    const temporary = join(directory, `.${basename(path)}.${process.pid}.tmp`);
    let handle: FileHandle | null = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(serialise());
      await handle.sync();
      await handle.close();
      handle = null;
      await rename(temporary, path);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
    // The rename is durable once the directory is flushed too.
    const dir = await open(directory, constants.O_RDONLY).catch(() => null);
    await dir?.sync().catch(() => undefined);
    await dir?.close();
    written = target;
  };
  const persist = async (): Promise<void> => {
    const target = ++generation;
    while (written < target) {
      writing ??= writeOnce().finally(() => {
        writing = null;
      });
      await writing;
    }
  };

  return {
    kind: 'file',
    where: path,
    acquire: (name, ms) => Promise.resolve(leases.acquire(name, ms)),
    release: (name, token) => Promise.resolve(leases.release(name, token)),
    load: (name) => Promise.resolve(states.get(name)),
    async save(state, token) {
      if (closed || !leases.holds(state.serverName, token)) return false;
      states.set(state.serverName, state);
      encoded.set(state.serverName, entryOf(state));
      await persist();
      return true;
    },
    saveReport(name, json) {
      reports.set(name, json);
      return Promise.resolve();
    },
    loadReport: (name) => Promise.resolve(reports.get(name)),
    async retain(keep) {
      let removed = false;
      for (const name of [...states.keys()])
        if (!keep.has(name)) {
          states.delete(name);
          encoded.delete(name);
          removed = true;
        }
      for (const name of [...reports.keys()]) if (!keep.has(name)) reports.delete(name);
      if (removed) await persist();
    },
    async close() {
      if (closed) return;
      closed = true;
      await writing?.catch(() => undefined);
      await rm(lockPath, { force: true });
      OPEN_HERE.delete(path);
    },
  };
}
