// Reading the files a config names (the config itself, certificate, key, CA bundle) and saying what is wrong with them.

import { DEFAULT_LOCALE, localize, type Locale } from '../i18n/index.js';
import { CONFIG_TEXTS } from './config-texts.js';
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
 * Turns a failed read into a config problem: the stable code, what is wrong with the file, and the fix, in `locale`
 * (English by default; `file`'s words must be in that language too; the system's reason is quoted as it came).
 *
 * @example
 * ```ts
 * describeFileProblem(error, { shown: 'the file /tmp/fifo', setting: 'tls_certificate_path', what: 'PEM certificate chain', missing: '...', unreadable: '...' });
 * // { code: 'not-a-regular-file', problem: 'the file /tmp/fifo cannot be used: it is a FIFO (named pipe), not a regular file', fix: '...' }
 * ```
 */
export function describeFileProblem(
  cause: unknown,
  file: FileDescription,
  locale: Locale = DEFAULT_LOCALE,
): FileProblem {
  const t = localize(CONFIG_TEXTS, locale);
  const code = (cause as NodeJS.ErrnoException).code;
  const reason = (cause as Error).message;
  const { shown, setting, what } = file;
  switch (code) {
    case 'ENOENT':
      return { code: 'file-missing', problem: t('file.missing', { shown }), fix: file.missing };
    case 'ENOTREGULAR':
      return {
        code: 'not-a-regular-file',
        problem: t('file.notRegular', { shown, reason }),
        fix: t('file.notRegularFix', { setting, what }),
      };
    case 'EISDIR':
      return {
        code: 'not-a-regular-file',
        problem: t('file.directory', { shown }),
        fix: t('file.directoryFix', { setting, what }),
      };
    case 'EFILETOOLARGE':
      return {
        code: 'file-too-large',
        problem: t('file.tooLarge', { shown, reason }),
        fix: t('file.tooLargeFix', { setting, what }),
      };
    case 'EREADTIMEOUT':
      return { code: 'file-unreadable', problem: t('file.slow', { shown, reason }), fix: t('file.slowFix', { what }) };
    case 'EACCES':
      return { code: 'file-unreadable', problem: t('file.denied', { shown }), fix: file.unreadable };
    default:
      return { code: 'file-unreadable', problem: t('file.unreadable', { shown, reason }), fix: file.unreadable };
  }
}
