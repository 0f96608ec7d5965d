// Loads a config for generating snippets: like loadConfig, but TLS files that are not on this machine are allowed.

import { dirname } from 'node:path';
import { MAX_PEM_FILE_BYTES, parseConfig } from '../config/index.js';
import { readRegularFileSync } from '../net/regular-file.js';
import { CONFIG_TEXTS } from '../config/config-texts.js';
import { readConfigFile } from '../config/load.js';
import { localize } from '../i18n/index.js';
import { PLACEHOLDER_TLS_PEM } from './placeholder-tls.js';
import type { ConfigError, ConfigFailure, ConfigSuccess, ParseConfigOptions } from '../config/index.js';

/** A config loaded for snippets. */
export type SnippetConfigResult =
  | (ConfigSuccess & {
      /**
       * TLS files named by the config that do not exist (or cannot be read) here. The snippets only write their
       * paths, so this is no error: the web server reads them on its own machine. The config's PEM texts are
       * then placeholders, not the real certificate.
       */
      readonly missingTlsFiles: readonly string[];
    })
  | ConfigFailure;

/** Config keys whose files may be missing when the config is only turned into snippets. */
const TLS_KEYS = new Set(['tls_certificate_path', 'tls_private_key_path']);

/** True when every error is a TLS file that cannot be read here (missing or unreadable). */
function onlyTlsFilesMissing(errors: readonly ConfigError[]): boolean {
  return (
    errors.length > 0 &&
    errors.every((e) => TLS_KEYS.has(String(e.path[0])) && (e.code === 'file-missing' || e.code === 'file-unreadable'))
  );
}

/**
 * Parses a config for snippet generation. Like `parseConfig`, except that TLS certificate and key files which
 * do not exist here are accepted (the snippet only names their paths): they are listed in `missingTlsFiles`
 * and a warning says so. Every other problem is an error as usual.
 *
 * @example
 * ```ts
 * const result = await parseConfigForSnippets(yamlText, { sourceName: 'plan' });
 * if (result.ok) nginxConfig(result.config);
 * ```
 */
export async function parseConfigForSnippets(
  yamlText: string,
  options: ParseConfigOptions = {},
): Promise<SnippetConfigResult> {
  // The same bounded reader as serve: a FIFO or /dev/zero named as a certificate must not hang or fill memory.
  const read = options.readTextFile ?? ((path: string) => readRegularFileSync(path, { maxBytes: MAX_PEM_FILE_BYTES }));
  const unreadable = new Set<string>();
  const tracking = (path: string): string => {
    try {
      return read(path);
    } catch (error) {
      unreadable.add(path);
      throw error;
    }
  };
  const first = parseConfig(yamlText, { ...options, readTextFile: tracking });
  if (first.ok) return { ...first, missingTlsFiles: [] };
  if (!onlyTlsFilesMissing(first.errors)) return first;

  const placeholder = PLACEHOLDER_TLS_PEM;
  const second = parseConfig(yamlText, {
    ...options,
    readTextFile: (path) => (unreadable.has(path) ? placeholder : read(path)),
  });
  if (!second.ok) return second;
  const missing = [...unreadable];
  // The placeholder's own warnings (validity, name) say nothing about the real certificate.
  const warnings = second.warnings.filter((w) => !/^tls_(certificate|private_key)_path\b/.test(w));
  warnings.push(`TLS files not found on this machine, written into the snippets as configured: ${missing.join(', ')}`);
  return { ...second, warnings, missingTlsFiles: missing };
}

/**
 * Reads a config file for snippet generation (see {@link parseConfigForSnippets}); relative paths resolve
 * against the file's directory, as with `loadConfig`.
 */
export async function loadConfigForSnippets(
  path: string,
  options: Omit<ParseConfigOptions, 'sourceName' | 'baseDir'> = {},
): Promise<SnippetConfigResult> {
  // The fix names the flag; in the config's language (issue 17).
  const fromFix = localize(CONFIG_TEXTS, options.locale ?? 'en')('file.fromMissing');
  const file = readConfigFile(path, options.readTextFile, { missing: fromFix, unreadable: fromFix }, options.locale);
  if (!file.ok) return { ok: false, errors: [file.error], warnings: [] };
  return parseConfigForSnippets(file.text, { ...options, sourceName: path, baseDir: dirname(file.absolute) });
}
