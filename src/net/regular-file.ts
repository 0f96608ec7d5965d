// Reading a local file that must be a regular file (a config, a PEM file): opened non-blocking, size- and time-bounded.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** Largest PEM file read (certificate chain, key, CA bundle) [1 MiB]: a full chain is ~5 KiB, Mozilla's CA bundle ~220 KiB. */
export const MAX_PEM_FILE_BYTES = 1024 * 1024;
/** How long reading one file may take [5 s] (a stalled network file system must not stall a reload for ever). */
export const FILE_READ_TIMEOUT_MS = 5000;

/** Why a file was refused before or while reading it; the Node.js codes (`ENOENT`, `EACCES`) pass through as they are. */
export type FileRefusal = 'ENOTREGULAR' | 'EFILETOOLARGE' | 'EREADTIMEOUT';

/** A file refused by {@link readRegularFile} or {@link readRegularFileSync}; `code` says why, `message` says what it is. */
export class FileReadError extends Error {
  /** The reason, as Node.js errors carry theirs. */
  readonly code: FileRefusal;
  constructor(code: FileRefusal, message: string) {
    super(message);
    this.name = 'FileReadError';
    this.code = code;
  }
}

/** Limits of one read. */
export interface ReadLimits {
  /** Larger files are refused (`EFILETOOLARGE`) without being read past this many bytes. */
  readonly maxBytes: number;
  /** Asynchronous reads only: a read still running after this long is given up (`EREADTIMEOUT`) [{@link FILE_READ_TIMEOUT_MS}]. */
  readonly timeoutMs?: number;
}

/**
 * `O_NONBLOCK` makes opening a FIFO return at once instead of waiting for a writer; it changes nothing for
 * regular files. `O_NOCTTY` keeps a terminal device from becoming the controlling terminal.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Checks the opened file (its own fstat, so a file swapped after a check cannot slip through). */
function checkOpened(stats: Stats, maxBytes: number): void {
  if (!stats.isFile()) throw new FileReadError('ENOTREGULAR', `it is ${describeKind(stats)}, not a regular file`);
  if (stats.size > maxBytes)
    throw new FileReadError('EFILETOOLARGE', `it is ${stats.size} bytes, more than the ${maxBytes} allowed`);
}

function tooLarge(maxBytes: number): FileReadError {
  return new FileReadError('EFILETOOLARGE', `it holds more than the ${maxBytes} bytes allowed`);
}

/** A UNIX socket cannot be opened (`ENXIO`): say what it is. */
function openError(cause: unknown): unknown {
  return (cause as NodeJS.ErrnoException).code === 'ENXIO'
    ? new FileReadError('ENOTREGULAR', 'it is a socket or a device without a driver, not a regular file')
    : cause;
}

/**
 * Reads a regular file as UTF-8 without blocking the event loop: the file is opened non-blocking and checked
 * with fstat before a byte is read, so a FIFO, `/dev/zero`, a directory or a socket is refused at once; at most
 * `maxBytes + 1` bytes are read (a file that grows is refused too), and the whole read is given up after
 * `timeoutMs`. Symbolic links are followed (certbot's `live/` files are links).
 *
 * @throws FileReadError (`ENOTREGULAR`, `EFILETOOLARGE`, `EREADTIMEOUT`) or the Node.js error of `open` (`ENOENT`, `EACCES`).
 * @example
 * ```ts
 * const pem = await readRegularFile('/etc/letsencrypt/live/example.com/fullchain.pem', { maxBytes: MAX_PEM_FILE_BYTES });
 * ```
 */
export async function readRegularFile(path: string, limits: ReadLimits): Promise<string> {
  const timeoutMs = limits.timeoutMs ?? FILE_READ_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new FileReadError('EREADTIMEOUT', `reading it took more than ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  let handle: FileHandle | undefined;
  const read = (async (): Promise<string> => {
    const opened = await open(path, OPEN_FLAGS).catch((cause: unknown) => Promise.reject(openError(cause)));
    handle = opened;
    checkOpened(await opened.stat(), limits.maxBytes);
    const buffer = Buffer.allocUnsafe(limits.maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await opened.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limits.maxBytes) throw tooLarge(limits.maxBytes);
    }
    return buffer.toString('utf8', 0, length);
  })();
  try {
    return await Promise.race([read, deadline]);
  } finally {
    clearTimeout(timer);
    // After a timeout the read may still be pending: close the file once it settles, whatever it did.
    void read
      .then(
        () => handle?.close(),
        () => handle?.close(),
      )
      .catch(() => undefined);
  }
}

/**
 * The synchronous form of {@link readRegularFile} for one-shot commands and start-up: the same checks and size
 * limit, no time limit (a regular file's read does not wait on anyone).
 *
 * @throws FileReadError (`ENOTREGULAR`, `EFILETOOLARGE`) or the Node.js error of `open`.
 */
export function readRegularFileSync(path: string, limits: ReadLimits): string {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (cause) {
    throw openError(cause);
  }
  try {
    checkOpened(fstatSync(fd), limits.maxBytes);
    const buffer = Buffer.allocUnsafe(limits.maxBytes + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limits.maxBytes) throw tooLarge(limits.maxBytes);
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}
