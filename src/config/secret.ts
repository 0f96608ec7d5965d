// A secret read from a file or an environment variable: its value only through reveal(), never in logs or JSON.

import { inspect } from 'node:util';

/** What every rendering of a {@link Secret} shows instead of its value. */
export const REDACTED = '[redacted]';

/**
 * A secret of the config (an SMTP password, a Matrix access token). Its value sits in a private field and comes out
 * only through {@link Secret.reveal}: `JSON.stringify` (which pino's serialiser uses), `String()`, template strings
 * and `util.inspect` (console.log) all show {@link REDACTED}, so logging a config, an error detail or a channel's
 * settings cannot leak it.
 *
 * @example
 * ```ts
 * const token = new Secret('syt_abc', 'the file /etc/matrix-delegation/bot-token');
 * JSON.stringify({ token }); // '{"token":"[redacted]"}'
 * token.reveal(); // 'syt_abc'
 * ```
 */
export class Secret {
  readonly #value: string;
  /** Where the value came from, for messages: `the file /etc/x` or `the environment variable SMTP_PASSWORD`. */
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
  }

  /** The value itself: pass it to the one call that needs it, never to a log line or a message. */
  reveal(): string {
    return this.#value;
  }

  /** Whether two secrets hold the same value (a reload compares channels without revealing anything). */
  equals(other: Secret | null): boolean {
    return other !== null && other.#value === this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED}, from ${this.source})`;
  }
}
