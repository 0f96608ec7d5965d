// Writing responses: JSON bodies, Matrix-style JSON errors, and the raw answer to a request Node could not parse.

import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The `errcode` values this server uses, from the client-server API's common error codes ("Standard error
 * response"). The spec's rule for unknown endpoints applies: 404 `M_UNRECOGNIZED` for an unknown path, 405
 * `M_UNRECOGNIZED` for a known path with the wrong method.
 */
export type ErrorCodeName =
  | 'M_UNRECOGNIZED'
  | 'M_NOT_FOUND'
  | 'M_MISSING_PARAM'
  | 'M_INVALID_PARAM'
  | 'M_LIMIT_EXCEEDED'
  | 'M_UNKNOWN'
  | 'M_TOO_LARGE';

/**
 * The JSON body of every error: `{"errcode", "error"}`, plus `retry_after_ms` on 429 and 503 (as the spec's
 * `M_LIMIT_EXCEEDED`) and `rule` when a server name fails the grammar (a stable id of `SERVER_NAME_RULES`).
 */
export interface ErrorBody {
  readonly errcode: ErrorCodeName;
  readonly error: string;
  readonly retry_after_ms?: number;
  readonly rule?: string;
}

/** Sends `body` as JSON with `status` and `headers` (lowercase names); HEAD gets the headers only (Node drops the body). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const buffer = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(buffer.byteLength),
    ...headers,
  });
  res.end(buffer);
}

/**
 * Sends a JSON error, never cached (`Cache-Control: no-store`), so that a proxy cannot keep serving a 429 or
 * 503 after the reason is gone.
 *
 * @example
 * ```ts
 * sendError(res, 404, 'M_UNRECOGNIZED', 'unknown path /foo');
 * ```
 */
export function sendError(
  res: ServerResponse,
  status: number,
  errcode: ErrorCodeName,
  message: string,
  headers: Readonly<Record<string, string>> = {},
  extra: Omit<ErrorBody, 'errcode' | 'error'> = {},
): void {
  const body: ErrorBody = { errcode, error: message, ...extra };
  sendJson(res, status, body, { 'cache-control': 'no-store', ...headers });
}

/**
 * The complete HTTP/1.1 response written straight to the socket when Node's parser rejects a request (bad
 * method, malformed request line, headers too large, request too slow): a JSON error and `Connection: close`,
 * since the byte stream can no longer be trusted to be at a request boundary.
 */
export function rawErrorResponse(status: number, message: string): Buffer {
  const errcode: ErrorCodeName = status === 431 || status === 414 ? 'M_TOO_LARGE' : 'M_UNRECOGNIZED';
  const body = JSON.stringify({ errcode, error: message } satisfies ErrorBody);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'cache-control: no-store',
    'connection: close',
  ];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

/** How long a client gets to read a raw error answer before its connection is destroyed [1 s]. */
export const RAW_ANSWER_LINGER_MS = 1000;

/**
 * Writes a raw answer ({@link rawErrorResponse}) and closes the connection. `end()` alone sends the answer and a
 * FIN but keeps the socket until the client closes its side, so a client that never reads and never closes held
 * a file descriptor for ever. The client gets `lingerMs` to read the answer and close (destroying at once could
 * turn the close into a reset that loses the answer while the client is still sending); then the socket is destroyed.
 */
export function answerAndClose(socket: Duplex, response: Buffer, lingerMs: number = RAW_ANSWER_LINGER_MS): void {
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.end(response);
}

/**
 * Whether a `clientError` comes from Node's HTTP parser or its request timeout, and so deserves an HTTP answer.
 * Anything else (a TLS handshake error or timeout on a socket with no TLS session, a socket error) has nobody
 * to answer: the socket is destroyed.
 */
export function isHttpClientError(code: string | undefined): boolean {
  return code !== undefined && (code.startsWith('HPE_') || code === 'ERR_HTTP_REQUEST_TIMEOUT');
}

/** The status and message for an error of Node's HTTP parser (`clientError` event), by its code. */
export function clientErrorStatus(code: string | undefined): { readonly status: number; readonly message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'the request headers are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: 'the request was not received in time' };
    case 'HPE_INVALID_METHOD':
      return { status: 400, message: 'the request method is not valid' };
    default:
      return { status: 400, message: 'the request is malformed' };
  }
}
