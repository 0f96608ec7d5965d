// The catalogue of malformed requests (bad methods, huge headers, bad targets and encodings, NULs, junk) with the answer each must get.

/** The families of malformed requests, as reported in RELIABILITY.md. */
export const MALFORMED_FAMILIES = [
  'bad method',
  'oversized headers',
  'invalid URL',
  'bad percent-encoding',
  'NUL bytes',
  'HTTP/0.9 and junk',
  'header syntax and smuggling',
  'truncated',
] as const;

/** A family of malformed requests. */
export type MalformedFamily = (typeof MALFORMED_FAMILIES)[number];

/** What the server may answer to one malformed request. */
export interface MalformedExpectation {
  /**
   * The right sequences of response statuses on the connection, e.g. `[[400]]`; a pipelined request that is
   * answered and then followed by junk is `[[200, 400]]`. Empty when no answer is expected. Any extra response
   * (a smuggled request answered) makes the exchange wrong.
   */
  readonly sequences: readonly (readonly number[])[];
  /** The connection may also end without any answer (the request never became one, e.g. a connection reset mid-request). */
  readonly mayCloseSilently?: boolean;
}

/** One malformed request: how to build its bytes and what it must get. */
export interface MalformedCase {
  readonly family: MalformedFamily;
  /** A short stable name, e.g. `method-garbage`. */
  readonly name: string;
  /** The bytes to send, in pieces written one after the other (`i` varies the content between sends). */
  readonly build: (i: number) => readonly Buffer[];
  /**
   * `end`: half-close after writing and read the answer until the server closes (the usual case).
   * `reset`: destroy the socket right after writing; no answer is read (a client that gives up mid-request).
   */
  readonly after: 'end' | 'reset';
  readonly expect: MalformedExpectation;
}

const CRLF = '\r\n';
const b = (text: string): Buffer => Buffer.from(text, 'latin1');
/** A complete request with `Connection: close`, so that the server closes the connection after answering. */
const req = (line: string, headers = ''): Buffer =>
  b(`${line}${CRLF}Host: soak.example${CRLF}${headers}Connection: close${CRLF}${CRLF}`);

/** A deterministic pseudo-random byte string (xorshift32), so that a run can be repeated byte for byte. */
export function junkBytes(seed: number, length: number): Buffer {
  let x = (seed * 2654435761) >>> 0 || 1;
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The start of a TLS 1.2 ClientHello: what a browser sends to `https://` on a plain HTTP port. */
const TLS_CLIENT_HELLO = Buffer.from('16030100a5010000a10303' + '00'.repeat(32) + '000004c02fc030010000740000', 'hex');

/** Parser errors and refusals the server answers itself on the raw socket. */
const BAD_REQUEST: MalformedExpectation = { sequences: [[400]] };

/**
 * Every malformed request the soak and the hardening tests send. The expectations are the documented answers
 * (docs/serve.md, "Errors" and "Limits and timeouts"): 400 for what Node's parser or the target parser refuse,
 * 405 for a known method on a document, 414 for a long target, 431 for headers over 16 KiB.
 */
export const MALFORMED_CASES: readonly MalformedCase[] = [
  // Bad methods.
  {
    family: 'bad method',
    name: 'method-garbage',
    build: () => [req('BR@W / HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'bad method',
    name: 'method-unknown-token',
    build: (i) => [req(`FROB${i % 10} /.well-known/matrix/server HTTP/1.1`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'bad method',
    name: 'method-lowercase',
    build: () => [req('get /.well-known/matrix/server HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'bad method',
    name: 'method-delete-document',
    build: () => [req('DELETE /.well-known/matrix/server HTTP/1.1')],
    after: 'end',
    expect: { sequences: [[405]] },
  },
  {
    family: 'bad method',
    name: 'method-post-with-body',
    build: () => [
      req('POST /.well-known/matrix/client HTTP/1.1', `Content-Type: application/json${CRLF}Content-Length: 2${CRLF}`),
      b('{}'),
    ],
    after: 'end',
    expect: { sequences: [[405]] },
  },
  {
    family: 'bad method',
    name: 'method-propfind',
    build: () => [req('PROPFIND /health HTTP/1.1')],
    after: 'end',
    expect: { sequences: [[405]] },
  },
  {
    family: 'bad method',
    name: 'method-connect',
    build: () => [req('CONNECT soak.example:443 HTTP/1.1')],
    after: 'end',
    expect: { sequences: [[405]] },
  },

  // Oversized headers: 100 KB in one header, in many headers, or in the request line.
  {
    family: 'oversized headers',
    name: 'header-100kb',
    build: (i) => [req('GET /.well-known/matrix/server HTTP/1.1', `X-Big: ${'b'.repeat(100_000 + (i % 7))}${CRLF}`)],
    after: 'end',
    expect: { sequences: [[431]] },
  },
  {
    family: 'oversized headers',
    name: 'headers-3000',
    build: () => [
      req(
        'GET /.well-known/matrix/server HTTP/1.1',
        Array.from({ length: 3000 }, (_, n) => `X-H${n}: ${'v'.repeat(24)}${CRLF}`).join(''),
      ),
    ],
    after: 'end',
    expect: { sequences: [[431]] },
  },
  {
    family: 'oversized headers',
    name: 'request-line-100kb',
    build: () => [req(`GET /${'a'.repeat(100_000)} HTTP/1.1`)],
    after: 'end',
    expect: { sequences: [[431], [414]] },
  },

  // Invalid targets.
  {
    family: 'invalid URL',
    name: 'target-asterisk',
    build: () => [req('OPTIONS * HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'invalid URL',
    name: 'target-no-slash',
    build: () => [req('GET example.com HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'invalid URL',
    name: 'target-5000-chars',
    build: () => [req(`GET /.well-known/matrix/server?${'q'.repeat(5000)} HTTP/1.1`)],
    after: 'end',
    expect: { sequences: [[414]] },
  },
  {
    family: 'invalid URL',
    name: 'target-traversal',
    build: () => [req('GET /../../../etc/passwd HTTP/1.1')],
    after: 'end',
    expect: { sequences: [[404]] },
  },
  {
    family: 'invalid URL',
    name: 'target-encoded-traversal',
    build: () => [req('GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1')],
    after: 'end',
    expect: { sequences: [[404]] },
  },
  {
    family: 'invalid URL',
    name: 'target-space',
    build: () => [req('GET /a b HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'invalid URL',
    name: 'target-control-char',
    build: () => [req('GET /\x7f\x01 HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'invalid URL',
    name: 'target-absolute-bad-scheme',
    build: () => [req('GET javascript:alert(1) HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },

  // Broken percent-encoding and invalid UTF-8.
  {
    family: 'bad percent-encoding',
    name: 'pct-not-hex',
    build: () => [req('GET /%zz HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'bad percent-encoding',
    name: 'pct-truncated',
    build: () => [req('GET /.well-known/matrix/%E0%A4%A HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'bad percent-encoding',
    name: 'pct-overlong-utf8',
    build: () => [req('GET /%C0%AF HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'bad percent-encoding',
    name: 'pct-surrogate',
    build: () => [req('GET /%ED%A0%80 HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'bad percent-encoding',
    name: 'pct-lone-percent',
    build: () => [req('GET /% HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'bad percent-encoding',
    name: 'pct-query',
    build: () => [req('GET /api/report?server_name=%zz HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'bad percent-encoding',
    name: 'pct-query-invalid-utf8',
    build: () => [req('GET /api/check?server_name=%FF%FE HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },

  // NUL bytes, encoded and raw.
  {
    family: 'NUL bytes',
    name: 'nul-encoded-path',
    build: () => [req('GET /.well-known/matrix/server%00.json HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'NUL bytes',
    name: 'nul-raw-path',
    build: () => [req('GET /\0 HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'NUL bytes',
    name: 'nul-header-value',
    build: () => [req('GET /health HTTP/1.1', `X-Nul: a\0b${CRLF}`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'NUL bytes',
    name: 'nul-header-name',
    build: () => [req('GET /health HTTP/1.1', `X-\0: b${CRLF}`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'NUL bytes',
    name: 'nul-server-name',
    build: () => [req('GET /api/report?server_name=a%00.example.org HTTP/1.1')],
    after: 'end',
    expect: BAD_REQUEST,
  },

  // HTTP/0.9, other protocols and random bytes.
  {
    family: 'HTTP/0.9 and junk',
    name: 'http09-simple-request',
    build: () => [b(`GET /.well-known/matrix/server${CRLF}`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'HTTP/0.9 and junk',
    name: 'http-version-9-9',
    build: () => [req('GET /.well-known/matrix/server HTTP/9.9')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'HTTP/0.9 and junk',
    name: 'response-as-request',
    build: () => [b(`HTTP/1.1 200 OK${CRLF}Content-Length: 0${CRLF}${CRLF}`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'HTTP/0.9 and junk',
    name: 'tls-client-hello',
    build: () => [TLS_CLIENT_HELLO],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'HTTP/0.9 and junk',
    name: 'http2-preface',
    build: () => [b(`PRI * HTTP/2.0${CRLF}${CRLF}SM${CRLF}${CRLF}`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'HTTP/0.9 and junk',
    name: 'ssh-banner',
    build: () => [b(`SSH-2.0-OpenSSH_9.6${CRLF}`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  // Random bytes: the first byte is made a non-token character so that the junk is never a valid method by chance.
  {
    family: 'HTTP/0.9 and junk',
    name: 'random-bytes',
    build: (i) => [Buffer.concat([b('\x01'), junkBytes(i + 1, 64 + (i % 2000))])],
    after: 'end',
    expect: BAD_REQUEST,
  },

  // Header syntax and request smuggling attempts.
  {
    family: 'header syntax and smuggling',
    name: 'header-no-colon',
    build: () => [req('GET /health HTTP/1.1', `NoColonHere${CRLF}`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'header syntax and smuggling',
    name: 'header-space-before-colon',
    build: () => [req('GET /health HTTP/1.1', `X-Space : y${CRLF}`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'header syntax and smuggling',
    name: 'header-invalid-name',
    build: () => [req('GET /health HTTP/1.1', `X@Y: z${CRLF}`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'header syntax and smuggling',
    name: 'cl-and-te',
    build: () => [
      req('POST /.well-known/matrix/server HTTP/1.1', `Content-Length: 5${CRLF}Transfer-Encoding: chunked${CRLF}`),
      b(`0${CRLF}${CRLF}`),
    ],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'header syntax and smuggling',
    name: 'two-content-lengths',
    build: () => [
      req('POST /.well-known/matrix/server HTTP/1.1', `Content-Length: 1${CRLF}Content-Length: 2${CRLF}`),
      b('ab'),
    ],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'header syntax and smuggling',
    name: 'content-length-not-a-number',
    build: () => [req('POST /.well-known/matrix/server HTTP/1.1', `Content-Length: 1x${CRLF}`), b('a')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'header syntax and smuggling',
    name: 'te-obfuscated',
    build: () => [
      req('POST /.well-known/matrix/server HTTP/1.1', `Transfer-Encoding: xchunked${CRLF}`),
      b(`0${CRLF}${CRLF}`),
    ],
    after: 'end',
    // Node hands the headers to the handler (405: POST on a document), then refuses the body it cannot frame
    // (400) and closes: the trailing bytes never become a second request.
    expect: { sequences: [[400], [405, 400]] },
  },
  {
    family: 'header syntax and smuggling',
    name: 'header-obs-fold',
    build: () => [req('GET /health HTTP/1.1', `X-Fold: a${CRLF} folded${CRLF}`)],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'header syntax and smuggling',
    name: 'bare-lf-line-endings',
    build: () => [b('GET /.well-known/matrix/server HTTP/1.1\nHost: soak.example\nConnection: close\n\n')],
    after: 'end',
    expect: BAD_REQUEST,
  },
  {
    family: 'header syntax and smuggling',
    name: 'chunked-bad-size',
    // The headers are fine, so the document may be answered before the body's broken chunk size is read; as
    // the request said `Connection: close`, the server may then close without reading the body at all.
    build: () => [req('GET /.well-known/matrix/server HTTP/1.1', `Transfer-Encoding: chunked${CRLF}`), b(`zz${CRLF}`)],
    after: 'end',
    expect: { sequences: [[400], [200, 400], [200]] },
  },
  {
    family: 'header syntax and smuggling',
    name: 'upgrade-websocket',
    // Nothing here speaks WebSocket: the request is answered as a plain GET, never switched.
    build: () => [
      b(
        `GET /.well-known/matrix/server HTTP/1.1${CRLF}Host: soak.example${CRLF}Connection: Upgrade${CRLF}Upgrade: websocket${CRLF}` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==${CRLF}Sec-WebSocket-Version: 13${CRLF}${CRLF}`,
      ),
    ],
    after: 'end',
    expect: { sequences: [[200]] },
  },
  {
    family: 'header syntax and smuggling',
    name: 'pipelined-garbage',
    // A valid request followed on the same connection by junk: the first is answered, the junk refused.
    build: () => [
      b(`GET /.well-known/matrix/server HTTP/1.1${CRLF}Host: soak.example${CRLF}${CRLF}`),
      b(`\x01GARBAGE /${CRLF}${CRLF}`),
    ],
    after: 'end',
    expect: { sequences: [[200, 400]] },
  },

  // Requests cut short: the client leaves (reset) or stops sending (end) mid-request.
  {
    family: 'truncated',
    name: 'reset-mid-request-line',
    build: () => [b('GET /.well-known/ma')],
    after: 'reset',
    expect: { sequences: [], mayCloseSilently: true },
  },
  {
    family: 'truncated',
    name: 'reset-mid-headers',
    build: () => [b(`GET /.well-known/matrix/server HTTP/1.1${CRLF}Host: soak.exa`)],
    after: 'reset',
    expect: { sequences: [], mayCloseSilently: true },
  },
  {
    family: 'truncated',
    name: 'end-mid-headers',
    build: () => [b(`GET /.well-known/matrix/server HTTP/1.1${CRLF}Host: soak.exa`)],
    after: 'end',
    expect: { sequences: [[400]], mayCloseSilently: true },
  },
  {
    family: 'truncated',
    name: 'end-mid-body',
    build: () => [req('POST /.well-known/matrix/server HTTP/1.1', `Content-Length: 1000${CRLF}`), b('{"partial":')],
    after: 'end',
    expect: { sequences: [[405], [400], [405, 400]], mayCloseSilently: true },
  },
];
