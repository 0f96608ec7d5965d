// Reads a response body into memory up to a limit: a body past it is destroyed and refused, never read to its end.

import { MatrixDelegationError } from '../errors.js';
import { NET_ERROR_EN as SAY } from './net-error-texts.js';

/**
 * The whole of `body` (a stream of Buffers, such as undici's response body), at most `maxBytes` of it: one more byte
 * destroys the stream and throws `BODY_TOO_LARGE`, so a server cannot make a client hold more than it allowed.
 *
 * @example
 * ```ts
 * const bytes = await readBodyAtMost(response.body, 512 * 1024);
 * ```
 */
export async function readBodyAtMost(
  body: AsyncIterable<unknown> & { destroy(): void },
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) {
      body.destroy();
      throw new MatrixDelegationError('BODY_TOO_LARGE', SAY.bodyTooLarge({ max: maxBytes }));
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}
