// The addresses that refused a TCP connection during one task (a check): each is dialled once per task, not once per request.

import type { ErrorCode } from '../errors.js';

/** A refusal as `connectTls` recorded it. */
export interface Refusal {
  readonly code: ErrorCode;
  /** The message of the failed attempt (`<ip>: connect ECONNREFUSED <ip>:<port>`). */
  readonly message: string;
}

/**
 * The addresses (IP and port) that refused a connection since the record was made. `connectTls` consults it before
 * dialling an address and adds each refusal it meets: a check asks one address's HTTPS port for the well-known, the
 * client and support documents, the well-known per address and a probe, and a port that refused the first of them is
 * not dialled four more times within the same check. Only refusals are kept (an RST answering the SYN, `ECONNREFUSED`):
 * they come at once and say the same thing every time; a timeout depends on the limit of the operation that met it.
 */
export interface RefusedAddresses {
  /** The refusal `address` gave on `port`, if it gave one. */
  get(address: string, port: number): Refusal | undefined;
  /** Notes that `address` refused a connection on `port`. */
  add(address: string, port: number, refusal: Refusal): void;
  /** How many dials were spared (a refusal given again instead of a connection attempt). */
  readonly spared: number;
  /** Counts one spared dial (called by `connectTls`). */
  spare(): void;
}

/**
 * Creates an empty record, for one task (a check's connection pool makes one). It keeps no time: drop it with the task.
 *
 * @example
 * ```ts
 * const refused = createRefusedAddresses();
 * await connectTls({ addresses: ['192.0.2.1'], port: 443, servername: 'example.org', policy, attemptTimeoutMs: 5_000, refused });
 * refused.get('192.0.2.1', 443); // { code: 'CONNECT_REFUSED', message: '...' } when it refused
 * ```
 */
export function createRefusedAddresses(): RefusedAddresses {
  const refusals = new Map<string, Refusal>();
  let spared = 0;
  const key = (address: string, port: number): string => `${address}|${port}`;
  return {
    get: (address, port) => refusals.get(key(address, port)),
    add: (address, port, refusal) => void refusals.set(key(address, port), refusal),
    get spared() {
      return spared;
    },
    spare: () => void spared++,
  };
}
