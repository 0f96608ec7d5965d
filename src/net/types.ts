// The address policy port: decides which IP addresses matrix-delegation may contact.

/** The verdict on one address. */
export interface AddressVerdict {
  readonly allowed: boolean;
  /** The deny-list range that matched (e.g. `127.0.0.0/8`), or the allow-list range that overrode it. */
  readonly range: string | null;
  /** Plain words for an admin, e.g. "127.0.0.1 is in 127.0.0.0/8 (loopback), which is denied by default". */
  readonly reason: string;
}

/** Decides whether an address may be contacted. Applied after DNS, to the address actually dialled. */
export interface AddressPolicy {
  check(ip: string): AddressVerdict;
}
