// What a request handler sees: the request, the response, the parsed query and the server's current state.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServeConfig } from '../../config/types.js';
import type { WellKnownDocuments } from '../../config/documents.js';
import type { ServerLogger } from '../logger.js';
import type { ServerMetrics } from '../metrics.js';
import type { Monitor } from '../../monitor/monitor.js';
import type { TesterRunner } from '../tester/runner.js';
import type { StaticSite } from './static-files.js';

/**
 * The server's state for one request. A config reload builds a new one and swaps it in; a request keeps the
 * state it started with, so it never sees half of an old config and half of a new one.
 */
export interface AppState {
  readonly config: ServeConfig;
  readonly documents: WellKnownDocuments;
  readonly site: StaticSite;
  readonly runner: TesterRunner;
  readonly metrics: ServerMetrics;
  readonly logger: ServerLogger;
  /** True once a graceful shutdown has begun. */
  readonly isShuttingDown: () => boolean;
  /** The monitor running now (`monitor:`), or null. */
  readonly monitor: () => Monitor | null;
}

/** One request being handled. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The decoded path. */
  readonly path: string;
  /** The decoded query parameters. */
  readonly query: ReadonlyMap<string, readonly string[]>;
  readonly app: AppState;
}
