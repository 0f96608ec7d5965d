// The WHATWG Response of client.fetch(): an undici response body streamed as it arrives, with the federation details.

import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { MatrixDelegationError } from '../errors.js';
import { onAbort } from '../net/abort.js';
import { classifyNetworkError } from '../net/errors.js';
import type { ResolveResult, ResolvedTarget } from '../resolver/types.js';
import type { FederationAttempt } from './types.js';

/** What a federation response carries besides the HTTP response. */
export interface FederationResponseDetails {
  /** The target that answered. */
  readonly target: ResolvedTarget;
  /** Every target tried, in order (the last one answered). */
  readonly attempts: readonly FederationAttempt[];
  /** The resolution the request went through. */
  readonly resolution: ResolveResult;
  /** The X-Matrix Authorization header the client signed and sent, or null when it did not sign the request. */
  readonly authorization: string | null;
}

/**
 * The response of `client.fetch()`: a WHATWG `Response` (`status`, `headers`, `ok`, a streaming `body`, `json()`,
 * `text()`, `arrayBuffer()`...) plus where it came from. `clone()` returns a plain `Response`.
 */
export class FederationFetchResponse extends Response implements FederationResponseDetails {
  readonly target: ResolvedTarget;
  readonly attempts: readonly FederationAttempt[];
  readonly resolution: ResolveResult;
  readonly authorization: string | null;

  /** Built by the client; not meant to be constructed by callers. */
  constructor(body: ReadableStream<Uint8Array> | null, init: ResponseInit, details: FederationResponseDetails) {
    super(body, init);
    this.target = details.target;
    this.attempts = details.attempts;
    this.resolution = details.resolution;
    this.authorization = details.authorization;
  }
}

/** Statuses whose responses have no body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Options of {@link toFederationFetchResponse}. */
export interface StreamOptions {
  /** Most body bytes read; past it the stream errors with `BODY_TOO_LARGE` [no limit]. */
  readonly maxBytes?: number;
  /** The caller's signal: when it aborts, the stream errors with its reason (as `fetch` does). */
  readonly signal?: AbortSignal;
  /** Called once when the body has ended, failed or been cancelled (releases the request's signal). */
  readonly onDone: () => void;
  /** Names the target in error messages. */
  readonly describe: string;
}

/**
 * Turns an undici response into a {@link FederationFetchResponse} whose body streams: nothing is buffered beyond
 * what the consumer has not read yet (undici pauses the socket meanwhile).
 *
 * @throws {MatrixDelegationError} `BODY_TOO_LARGE` when `Content-Length` already exceeds `maxBytes`, `HTTP_ERROR` for a
 *   status a `Response` cannot carry (outside 200-599).
 */
export function toFederationFetchResponse(
  data: Dispatcher.ResponseData,
  details: FederationResponseDetails,
  options: StreamOptions,
): FederationFetchResponse {
  const { statusCode } = data;
  // Destroying the body (cancel, maxBytes, abort) makes undici emit an AbortError on it: the stream reports errors
  // through its reader, so the event itself must not become an uncaught exception.
  data.body.on('error', ignore);
  const headers = new Headers();
  for (const [name, value] of Object.entries(data.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, item);
      } catch {
        // A header undici accepted but Headers does not (it is stricter on values): left out rather than failing.
      }
    }
  }
  const fail = (error: MatrixDelegationError): never => {
    data.body.destroy();
    options.onDone();
    throw error;
  };
  if (statusCode < 200 || statusCode > 599) {
    fail(
      new MatrixDelegationError(
        'HTTP_ERROR',
        `${options.describe}: the status ${statusCode} is not a valid HTTP status`,
      ),
    );
  }
  const length = Number(headers.get('content-length') ?? Number.NaN);
  if (options.maxBytes !== undefined && Number.isFinite(length) && length > options.maxBytes) {
    fail(
      new MatrixDelegationError(
        'BODY_TOO_LARGE',
        `${options.describe}: the response body is ${length} bytes, more than the ${options.maxBytes} allowed`,
      ),
    );
  }
  let body: ReadableStream<Uint8Array> | null;
  if (NULL_BODY_STATUSES.has(statusCode)) {
    // Read to the end so the connection can be reused (such bodies are empty).
    data.body.dump().then(options.onDone, options.onDone);
    body = null;
  } else {
    body = streamBody(data.body, options);
  }
  return new FederationFetchResponse(body, { status: statusCode, headers }, details);
}

/** A ReadableStream pulling from undici's body: backpressure is kept, errors are classified, `onDone` called once. */
function streamBody(source: Dispatcher.ResponseData['body'], options: StreamOptions): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let received = 0;
  let done = false;
  let stopListening: (() => void) | undefined;
  const finish = (): void => {
    if (done) return;
    done = true;
    stopListening?.();
    options.onDone();
  };
  const failure = (error: unknown): unknown => {
    if (options.signal?.aborted === true) return options.signal.reason as unknown;
    if (error instanceof MatrixDelegationError) return error;
    const classified = classifyNetworkError(error);
    return new MatrixDelegationError(classified.code, `${options.describe}: ${classified.message}`, { cause: error });
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // An abort errors the stream at once, as fetch does, even while nobody is reading it.
        const { signal } = options;
        if (signal === undefined) return;
        if (signal.aborted) {
          source.destroy();
          finish();
          controller.error(signal.reason);
          return;
        }
        stopListening = onAbort(signal, () => {
          if (done) return;
          source.destroy();
          finish();
          controller.error(signal.reason);
        });
      },
      async pull(controller) {
        if (done) return;
        let next: IteratorResult<Buffer>;
        try {
          next = await iterator.next();
        } catch (error) {
          finish();
          controller.error(failure(error));
          return;
        }
        if (next.done === true) {
          // undici reuses a keep-alive connection one event-loop turn after its response ends: wait that turn, so a
          // request made as soon as this body is read shares the connection (as the buffered client does).
          await nextLoopTurn();
          finish();
          controller.close();
          return;
        }
        const chunk = next.value;
        received += chunk.length;
        if (options.maxBytes !== undefined && received > options.maxBytes) {
          source.destroy();
          finish();
          controller.error(
            new MatrixDelegationError(
              'BODY_TOO_LARGE',
              `${options.describe}: the response body is larger than ${options.maxBytes} bytes`,
            ),
          );
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      },
      cancel() {
        source.destroy();
        finish();
      },
    },
    // Pull one chunk at a time: undici holds the rest, pausing the socket.
    { highWaterMark: 0 },
  );
}

function ignore(): void {
  // Errors reach the consumer through the ReadableStream (see toFederationFetchResponse).
}
