// The server's structured logger: pino, JSON lines, level from the config, writing wherever it is told.

import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from '../config/types.js';

/**
 * Fields never written to the log, at the top level or one level down (pino's `redact`): passwords, tokens and
 * Authorization headers, in the spellings of the config, of HTTP and of the libraries that might log them.
 */
export const REDACTED_LOG_PATHS = [
  'password',
  '*.password',
  'pass',
  '*.pass',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
] as const;

/** The logger type the server uses (pino's). */
export type ServerLogger = Logger;

/** Options of {@link createServerLogger}. */
export interface ServerLoggerOptions {
  /** The least severe level written [info]. */
  readonly level?: LogLevel;
  /**
   * Where the JSON lines go [standard error]. Anything with `write(line)` works: the CLI passes its injected
   * stderr, tests pass an array collector. Standard error, not standard output, so that stdout carries only the
   * "serving on" lines that scripts wait for.
   */
  readonly destination?: DestinationStream;
}

/**
 * Creates the server's logger: one JSON object per line with `level` as a name (`"info"`, not pino's number),
 * an ISO timestamp and `name: "matrix-delegation"`. Its level can be changed later (`logger.level = 'debug'`),
 * which is how a config reload applies `logging.level`.
 *
 * @example
 * ```ts
 * const logger = createServerLogger({ level: 'debug', destination: { write: (line) => lines.push(line) } });
 * logger.info({ url: 'http://127.0.0.1:8080/' }, 'listening');
 * ```
 */
export function createServerLogger(options: ServerLoggerOptions = {}): ServerLogger {
  return pino(
    {
      name: 'matrix-delegation',
      level: options.level ?? 'info',
      // Names are easier for people and log pipelines than pino's numeric levels.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      // No pid/hostname: a single process per config, and the host is known to whoever collects the logs.
      base: null,
      // Secrets are `Secret` objects that print as [redacted]; these paths catch a raw one logged by mistake.
      redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
