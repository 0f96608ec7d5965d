// Reading the files a config names (the config itself, certificate, key, CA bundle) and saying what is wrong with them.

import type { ConfigErrorCode } from './types.js';

export {
  FILE_READ_TIMEOUT_MS,
  FileReadError,
  MAX_PEM_FILE_BYTES,
  readRegularFile,
  readRegularFileSync,
} from '../net/regular-file.js';
export type { FileRefusal, ReadLimits } from '../net/regular-file.js';

/** Largest config file read [1 MiB]: a real one is a few KiB; anything near this is a mistake or an attack. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** A config problem about a file that could not be read: the stable code, what is wrong, and how to fix it. */
export interface FileProblem {
  readonly code: ConfigErrorCode;
  readonly problem: string;
  readonly fix: string;
}

/** What {@link describeFileProblem} needs to know about the file. */
export interface FileDescription {
  /** The file as named to the admin: `the file /etc/x.pem`, `the config file /etc/serve.yaml`. */
  readonly shown: string;
  /** What points at the file, for the fix: a config key (`tls_certificate_path`) or a flag (`--config`). */
  readonly setting: string;
  /** What the file should hold (`PEM certificate chain`, `YAML configuration`). */
  readonly what: string;
  /** The fix for a missing file. */
  readonly missing: string;
  /** The fix for a file that exists but cannot be read. */
  readonly unreadable: string;
}

/**
 * Turns a failed read into a config problem: the stable code, what is wrong with the file, and the fix.
 *
 * @example
 * ```ts
 * describeFileProblem(error, { shown: 'the file /tmp/fifo', setting: 'tls_certificate_path', what: 'PEM certificate chain', missing: '...', unreadable: '...' });
 * // { code: 'not-a-regular-file', problem: 'the file /tmp/fifo cannot be used: it is a FIFO (named pipe), not a regular file', fix: '...' }
 * ```
 */
export function describeFileProblem(cause: unknown, file: FileDescription): FileProblem {
  const code = (cause as NodeJS.ErrnoException).code;
  const reason = (cause as Error).message;
  const { shown, setting, what } = file;
  switch (code) {
    case 'ENOENT':
      return { code: 'file-missing', problem: `${shown} does not exist`, fix: file.missing };
    case 'ENOTREGULAR':
      return {
        code: 'not-a-regular-file',
        problem: `${shown} cannot be used: ${reason}`,
        fix: `point ${setting} at a regular file holding the ${what} (a symbolic link to one is fine)`,
      };
    case 'EISDIR':
      return {
        code: 'not-a-regular-file',
        problem: `${shown} cannot be used: it is a directory, not a regular file`,
        fix: `point ${setting} at the file holding the ${what}, not at its directory`,
      };
    case 'EFILETOOLARGE':
      return {
        code: 'file-too-large',
        problem: `${shown} is too large: ${reason}`,
        fix: `point ${setting} at the file holding the ${what}; no real one comes near this size`,
      };
    case 'EREADTIMEOUT':
      return {
        code: 'file-unreadable',
        problem: `${shown} could not be read in time: ${reason}`,
        fix: `keep the ${what} on a local file system, or repair the one it is on`,
      };
    case 'EACCES':
      return { code: 'file-unreadable', problem: `${shown} cannot be read: permission denied`, fix: file.unreadable };
    default:
      return { code: 'file-unreadable', problem: `${shown} cannot be read: ${reason}`, fix: file.unreadable };
  }
}
