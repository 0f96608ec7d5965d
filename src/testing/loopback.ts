// Loopback address and port allocation for the lab: random 127.a.b.c addresses and shared role ports, found by binding.

import { BlockList, isIP, createServer, type AddressInfo, type Server } from 'node:net';
import { randomInt } from 'node:crypto';

/** A port role shared by several lab hosts: every host in the role listens on the same port number. */
export type PortRole = 'https' | 'federation';

/** The port number each role would like (the spec's well-known port 443 and default federation port 8448). */
export const PREFERRED_ROLE_PORTS: Readonly<Record<PortRole, number>> = { https: 443, federation: 8448 };

/** How many times to retry after EADDRINUSE before giving up. */
const MAX_ATTEMPTS = 25;

/**
 * Random addresses this process currently uses. Collisions with labs in *other* processes are caught by
 * the bind itself (EADDRINUSE); this set only stops two labs of one process from drawing the same address.
 */
const addressesInUse = new Set<string>();

/** Matches every spelling of the one IPv6 loopback address. */
const IPV6_LOOPBACK = new BlockList();
IPV6_LOOPBACK.addAddress('::1', 'ipv6');

/**
 * The canonical text of an IP literal (`::1` for any spelling of the IPv6 loopback), or `null` when
 * `address` is not an IP literal. IPv4 must be dotted decimal (node's `isIP` rejects leading zeros).
 */
export function canonicalAddress(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return address;
  if (family === 6) {
    // Only the loopback matters to the lab; any other IPv6 literal is kept as written (and later refused).
    return IPV6_LOOPBACK.check(address, 'ipv6') ? '::1' : address.toLowerCase();
  }
  return null;
}

/**
 * True when the lab may listen on `address`: a host address in 127.0.0.0/8 (not the .0.0.0 network or the
 * 127.255.255.255 broadcast) or `::1`. The lab never binds anything else, so a lab test can never be
 * reached from, or leak onto, a real network.
 */
export function isLabAddress(address: string): boolean {
  const canonical = canonicalAddress(address);
  if (canonical === null) return false;
  if (canonical === '::1') return true;
  if (isIP(canonical) !== 4 || !canonical.startsWith('127.')) return false;
  return canonical !== '127.0.0.0' && canonical !== '127.255.255.255';
}

/** The IP family of a lab address. */
export function addressFamily(address: string): 4 | 6 {
  return isIP(address) === 6 ? 6 : 4;
}

/** `address:port` for a URL authority or an `ip:port` string (IPv6 bracketed). */
export function hostPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Draws a fresh random 127.a.b.c address (a in 16..250, c never 0 or 255) not used by another lab of this
 * process, and marks it used until {@link releaseLoopbackAddresses}. The range keeps clear of 127.0.0.x and
 * 127.1.x.x, which people use for real local services, and the space is large enough (about 15 million
 * addresses) that labs in parallel test workers practically never draw the same one; when they do, the
 * bind fails with EADDRINUSE and the caller draws again.
 */
export function claimRandomLoopbackAddress(): string {
  for (;;) {
    const address = `127.${randomInt(16, 251)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    if (!addressesInUse.has(address)) {
      addressesInUse.add(address);
      return address;
    }
  }
}

/** Returns addresses drawn by {@link claimRandomLoopbackAddress} to the pool (unknown addresses are ignored). */
export function releaseLoopbackAddresses(addresses: Iterable<string>): void {
  for (const address of addresses) addressesInUse.delete(address);
}

/** Starts `server` listening on `address:port` (0 = ephemeral); resolves with the port actually bound. */
export function listenOn(server: Server, address: string, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: address, port });
  });
}

/** Stops a server listening (no-op when it is not); open connections are the caller's business. */
export function stopListening(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** Turns EADDRNOTAVAIL (macOS configures only 127.0.0.1 on lo0) into an explanation. */
function explainListenError(error: unknown, address: string, port: number): Error {
  const code = errorCode(error);
  if (code === 'EADDRNOTAVAIL') {
    return new Error(
      `Lab: cannot listen on ${hostPort(address, port)}: the address is not configured on this machine ` +
        `(Linux routes all of 127.0.0.0/8 to lo; macOS needs \`sudo ifconfig lo0 alias ${address}\`, or give hosts fixed addresses)`,
      { cause: error },
    );
  }
  return new Error(`Lab: cannot listen on ${hostPort(address, port)}: ${code ?? String(error)}`, { cause: error });
}

/** One server to bind. */
export interface ListenSlot {
  readonly server: Server;
  /** A fixed address (canonical), or `undefined` for a random 127.a.b.c drawn here. */
  readonly fixedAddress: string | undefined;
  /** A fixed port (0 = an ephemeral port of its own) or a role. */
  readonly port: number | PortRole;
}

/** Where a slot ended up. */
export interface BoundSlot {
  readonly address: string;
  readonly port: number;
}

/** The outcome of {@link bindSlots}: one entry per slot, in order, and the port of each role. */
export interface BindResult {
  readonly bound: readonly BoundSlot[];
  readonly ports: Readonly<Record<PortRole, number>>;
  /** The random addresses drawn (release them with {@link releaseLoopbackAddresses} when done). */
  readonly randomAddresses: readonly string[];
}

/** Mutable per-slot state while binding. */
interface SlotState {
  readonly slot: ListenSlot;
  address: string;
  port: number;
}

/**
 * Binds every slot's server, drawing random addresses and picking role ports.
 *
 * Fixed-number slots are bound first. Then, for each role, every slot of the role listens on the preferred
 * port (443 / 8448) if all of them can (root can bind it, and nobody else holds it on those addresses),
 * else on ONE ephemeral number free on all of them: the kernel picks it on the first slot (fixed addresses
 * such as the shared `::1` first, since they are the ones other labs contend for) and the others bind the
 * same number; on EADDRINUSE everything of the role is unbound, clashing random addresses are redrawn,
 * and the role tries again. A role with no slots still gets a port number (probed on a random address), so
 * clients can be told where a missing server would be.
 *
 * On failure every server bound so far is closed and the random addresses are released.
 */
export async function bindSlots(
  slots: readonly ListenSlot[],
  preferred: Readonly<Record<PortRole, number>> = PREFERRED_ROLE_PORTS,
): Promise<BindResult> {
  const randomAddresses = new Set<string>();
  const draw = (): string => {
    const address = claimRandomLoopbackAddress();
    randomAddresses.add(address);
    return address;
  };
  const redraw = (state: SlotState): void => {
    releaseLoopbackAddresses([state.address]);
    randomAddresses.delete(state.address);
    state.address = draw();
  };
  const states: SlotState[] = slots.map((slot) => ({ slot, address: slot.fixedAddress ?? draw(), port: 0 }));

  try {
    for (const state of states) {
      if (typeof state.slot.port === 'number') await bindFixed(state, state.slot.port, redraw);
    }
    const ports: Record<PortRole, number> = { https: 0, federation: 0 };
    for (const role of ['https', 'federation'] as const) {
      const group = states.filter((s) => s.slot.port === role);
      ports[role] =
        group.length === 0 ? await probeRolePort(preferred[role]) : await bindGroup(group, preferred[role], redraw);
    }
    return {
      bound: states.map((s) => ({ address: s.address, port: s.port })),
      ports,
      randomAddresses: [...randomAddresses],
    };
  } catch (error) {
    await Promise.all(states.map((s) => stopListening(s.slot.server)));
    releaseLoopbackAddresses(randomAddresses);
    throw error;
  }
}

async function bindFixed(state: SlotState, port: number, redraw: (s: SlotState) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      state.port = await listenOn(state.slot.server, state.address, port);
      return;
    } catch (error) {
      // A random address another process happens to use: draw another. A fixed one: nothing to try.
      if (errorCode(error) === 'EADDRINUSE' && state.slot.fixedAddress === undefined && attempt < MAX_ATTEMPTS) {
        redraw(state);
        continue;
      }
      throw explainListenError(error, state.address, port);
    }
  }
}

/** Binds all of `group` on one port number; returns it. */
async function bindGroup(group: SlotState[], preferredPort: number, redraw: (s: SlotState) => void): Promise<number> {
  // Attempt the preferred number, redrawing random addresses that clash (another lab holding 443 there).
  for (let attempt = 1; attempt <= 3; attempt++) {
    const results = await Promise.allSettled(group.map((s) => listenOn(s.slot.server, s.address, preferredPort)));
    if (results.every((r) => r.status === 'fulfilled')) {
      for (const s of group) s.port = preferredPort;
      return preferredPort;
    }
    await Promise.all(group.map((s) => stopListening(s.slot.server)));
    const failures = results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ state: group[i]!, error: r.reason as unknown }] : [],
    );
    const unexpected = failures.find((f) => !['EADDRINUSE', 'EACCES'].includes(errorCode(f.error) ?? ''));
    if (unexpected !== undefined) throw explainListenError(unexpected.error, unexpected.state.address, preferredPort);
    // Not root (EACCES), or a fixed address where someone else holds the port: use an ephemeral port.
    if (failures.some((f) => errorCode(f.error) === 'EACCES' || f.state.slot.fixedAddress !== undefined)) break;
    for (const f of failures) redraw(f.state);
  }

  // Fixed addresses first: they are the contended ones (every lab shares ::1).
  const ordered = [...group].sort(
    (a, b) => Number(a.slot.fixedAddress === undefined) - Number(b.slot.fixedAddress === undefined),
  );
  const [first, ...rest] = ordered as [SlotState, ...SlotState[]];
  let lastError: unknown;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let port: number;
    try {
      port = await listenOn(first.slot.server, first.address, 0);
    } catch (error) {
      throw explainListenError(error, first.address, 0);
    }
    const results = await Promise.allSettled(rest.map((s) => listenOn(s.slot.server, s.address, port)));
    if (results.every((r) => r.status === 'fulfilled')) {
      for (const s of group) s.port = port;
      return port;
    }
    await Promise.all(group.map((s) => stopListening(s.slot.server)));
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') continue;
      const state = rest[i]!;
      lastError = r.reason;
      if (errorCode(r.reason) !== 'EADDRINUSE') throw explainListenError(r.reason, state.address, port);
      if (state.slot.fixedAddress === undefined) redraw(state);
    }
  }
  throw new Error(
    `Lab: found no port free on all of ${group.map((s) => s.address).join(', ')} after ${MAX_ATTEMPTS} attempts`,
    {
      cause: lastError,
    },
  );
}

/** The port a role with no hosts reports: the preferred one if bindable on a fresh address, else an ephemeral one. */
async function probeRolePort(preferredPort: number): Promise<number> {
  const address = claimRandomLoopbackAddress();
  const probe = createServer();
  try {
    try {
      return await listenOn(probe, address, preferredPort);
    } catch {
      await stopListening(probe);
      return await listenOn(probe, address, 0);
    }
  } finally {
    await stopListening(probe);
    releaseLoopbackAddresses([address]);
  }
}
