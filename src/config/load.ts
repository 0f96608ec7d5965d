// Loading the `serve` config: YAML text or file -> validated ServeConfig, with line numbers on every problem.

import { dirname, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, YAMLError } from 'yaml';
import { MatrixDelegationError } from '../errors.js';
import { DEFAULT_LOCALE, localize, type Locale } from '../i18n/index.js';
import { CONFIG_TEXTS } from './config-texts.js';
import { DEFAULT_CONFIG_SOURCE, DEFAULT_CONFIG_YAML } from './defaults.js';
import { formatConfigErrors } from './format.js';
import {
  MAX_CONFIG_FILE_BYTES,
  MAX_PEM_FILE_BYTES,
  describeFileProblem,
  readRegularFile,
  readRegularFileSync,
} from './read-file.js';
import type { ConfigError, ConfigPathSegment, ConfigResult, ConfigSuccess } from './types.js';
import { formatWarning, validateConfigData } from './validate.js';
import type { ValidateOptions } from './validate.js';

/** Options of {@link parseConfig}: see {@link ValidateOptions}. */
export type ParseConfigOptions = ValidateOptions;

/** Options of {@link loadConfig}: relative paths resolve against the config file's directory, the source is its path. */
export type LoadConfigOptions = Omit<ValidateOptions, 'sourceName' | 'baseDir'>;

/** Aliases allowed in one file: enough for any real config, few enough to stop "billion laughs" expansion. */
const MAX_ALIAS_COUNT = 100;

/** The kinds of YAML syntax error (the `yaml` package's codes) with a fix of their own (`yaml.<code>` in the texts). */
const YAML_FIXES = [
  'DUPLICATE_KEY',
  'TAB_AS_INDENT',
  'BAD_INDENT',
  'MULTIPLE_DOCS',
  'BAD_DQ_ESCAPE',
  'MISSING_CHAR',
  'RESOURCE_EXHAUSTION',
] as const satisfies readonly YAMLError['code'][];

/** What to do about a YAML syntax error of this kind, in `locale`. */
function yamlFix(code: YAMLError['code'], locale: Locale): string {
  const t = localize(CONFIG_TEXTS, locale);
  const known = YAML_FIXES.find((c) => c === code);
  return known === undefined ? t('yaml.other') : t(`yaml.${known}`);
}

/**
 * Parses and validates a configuration given as YAML text (YAML 1.2; PyYAML's `yes`/`no`/`on`/`off` are also
 * read as booleans in boolean keys, since Synapse reads its homeserver.yaml as YAML 1.1).
 *
 * All problems are reported together: YAML syntax errors (with line and column) stop there; otherwise every
 * validation error is collected, each with its key, problem, fix and, when it can be located, its line.
 *
 * @example
 * ```ts
 * const result = parseConfig('server_name: example.com\nserve_server_wellknown: true\n', { sourceName: 'inline' });
 * if (result.ok) buildServerDocument(result.config); // { 'm.server': 'example.com:443' }
 * else process.stderr.write(formatConfigErrors(result.errors, 'inline'));
 * ```
 */
export function parseConfig(yamlText: string, options: ParseConfigOptions = {}): ConfigResult {
  const lineCounter = new LineCounter();
  const locale = options.locale ?? DEFAULT_LOCALE;
  const t = localize(CONFIG_TEXTS, locale);
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    return { ok: false, errors: doc.errors.map((error) => yamlSyntaxError(error, locale)), warnings: [] };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    const error: ConfigError = {
      key: '(yaml)',
      path: [],
      code: 'yaml-syntax',
      problem: (cause as Error).message,
      fix: yamlFix('RESOURCE_EXHAUSTION', locale),
    };
    return { ok: false, errors: [error], warnings: [] };
  }

  const { issues, config } = validateConfigData(data, options);
  const locate = (path: readonly ConfigPathSegment[]): { line: number; col: number } | undefined =>
    locatePath(doc, lineCounter, path);
  const warnings = [
    ...doc.warnings.map((warning) =>
      t('format.warning', {
        where: `(yaml)${warning.linePos ? t('format.line', { line: warning.linePos[0].line }) : ''}`,
        message: firstLine(warning.message),
      }),
    ),
    ...issues.warnings.map((warning) =>
      formatWarning(warning, warning.path.length === 0 ? undefined : locate(warning.path)?.line, locale),
    ),
  ];
  if (config === undefined || issues.errors.length > 0) {
    const errors = issues.errors.map((error): ConfigError => {
      const at = error.path.length === 0 ? undefined : locate(error.path);
      return at === undefined ? error : { ...error, line: at.line, column: at.col };
    });
    return { ok: false, errors, warnings };
  }
  return { ok: true, config, warnings, ignoredSynapseKeys: [...issues.ignoredSynapseKeys] };
}

/** The fixes of a config file that cannot be read, for `serve --config`, in `locale`. */
function configFileFixes(locale: Locale): ConfigFileFixes {
  const t = localize(CONFIG_TEXTS, locale);
  return { missing: t('file.configMissing'), unreadable: t('file.configUnreadable'), setting: '--config' };
}

/**
 * Reads and validates a configuration file, synchronously (for one-shot commands; `serve` uses
 * {@link loadConfigAsync}). Relative TLS and CA file paths resolve against the file's directory. The config
 * and the files it names must be regular files of at most 1 MiB ({@link MAX_CONFIG_FILE_BYTES},
 * {@link MAX_PEM_FILE_BYTES}): a FIFO, a device or a directory is a config error, never a hang.
 *
 * @example
 * ```ts
 * const result = loadConfig('/etc/matrix-delegation/serve.yaml');
 * if (!result.ok) { process.stderr.write(formatConfigErrors(result.errors)); process.exit(1); }
 * ```
 */
export function loadConfig(path: string, options: LoadConfigOptions = {}): ConfigResult {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const file = readConfigFile(path, options.readTextFile, configFileFixes(locale), locale);
  if (!file.ok) return { ok: false, errors: [file.error], warnings: [] };
  return parseConfig(file.text, { ...options, sourceName: path, baseDir: dirname(file.absolute) });
}

/** Thrown at a validator asking for a file that has not been read yet (the first pass of {@link loadConfigAsync}). */
const NOT_READ_YET = Object.assign(new Error('not read yet'), { code: 'ENOTREADYET' });

/**
 * Like {@link loadConfig}, but every file (the config, the certificate, the key, the CA bundle) is read
 * asynchronously, with the same checks and limits and at most 5 s per file (`FILE_READ_TIMEOUT_MS`), so that a
 * server reloading its config keeps answering meanwhile, whatever the files are. The validators read files
 * synchronously: a first pass over the config finds the files it names, they are read, and the config is
 * validated again with their contents (which files are named never depends on what they hold).
 *
 * @example
 * ```ts
 * process.on('SIGHUP', async () => {
 *   const result = await loadConfigAsync('/etc/matrix-delegation/serve.yaml');
 *   if (result.ok) server.reload(result.config);
 * });
 * ```
 */
export async function loadConfigAsync(path: string, options: LoadConfigOptions = {}): Promise<ConfigResult> {
  if (options.readTextFile !== undefined) return loadConfig(path, options);
  const locale = options.locale ?? DEFAULT_LOCALE;
  const file = await readConfigFileAsync(path, configFileFixes(locale), locale);
  if (!file.ok) return { ok: false, errors: [file.error], warnings: [] };
  const parseOptions: ParseConfigOptions = { ...options, sourceName: path, baseDir: dirname(file.absolute) };
  const read = new Map<string, { readonly text: string } | { readonly error: unknown }>();
  for (let pass = 0; ; pass++) {
    const wanted = new Set<string>();
    const result = parseConfig(file.text, {
      ...parseOptions,
      readTextFile: (p) => {
        const done = read.get(p);
        if (done === undefined) {
          wanted.add(p);
          throw NOT_READ_YET;
        }
        if ('error' in done) throw done.error;
        return done.text;
      },
    });
    // Two passes always suffice; the bound only guards against a validator that would ask for new files forever.
    if (wanted.size === 0 || pass >= 3) return result;
    await Promise.all(
      [...wanted].map(async (p) => {
        try {
          read.set(p, { text: await readRegularFile(p, { maxBytes: MAX_PEM_FILE_BYTES }) });
        } catch (error) {
          read.set(p, { error });
        }
      }),
    );
  }
}

/**
 * Like {@link parseConfig}, but throws when the configuration is refused.
 *
 * @throws MatrixDelegationError `INVALID_CONFIG` whose message is {@link formatConfigErrors}' text and whose
 *   `detail.errors` holds the {@link ConfigError} list.
 */
export function parseConfigOrThrow(yamlText: string, options: ParseConfigOptions = {}): ConfigSuccess {
  return orThrow(parseConfig(yamlText, options), options.sourceName, options.locale);
}

/**
 * Like {@link loadConfig}, but throws when the file cannot be read or the configuration is refused.
 *
 * @throws MatrixDelegationError `INVALID_CONFIG` (see {@link parseConfigOrThrow}).
 */
export function loadConfigOrThrow(path: string, options: LoadConfigOptions = {}): ConfigSuccess {
  return orThrow(loadConfig(path, options), path, options.locale);
}

/** The built-in configuration `npm start` runs on ({@link DEFAULT_CONFIG_YAML}); it is valid by construction. */
export function loadDefaultConfig(): ConfigSuccess {
  return parseConfigOrThrow(DEFAULT_CONFIG_YAML, { sourceName: DEFAULT_CONFIG_SOURCE });
}

function orThrow(result: ConfigResult, source: string | undefined, locale?: Locale): ConfigSuccess {
  if (result.ok) return result;
  throw new MatrixDelegationError('INVALID_CONFIG', formatConfigErrors(result.errors, source, locale), {
    detail: { errors: result.errors, ...(source === undefined ? {} : { source }) },
  });
}

function yamlSyntaxError(error: YAMLError, locale: Locale): ConfigError {
  const at = error.linePos?.[0];
  const fix = yamlFix(error.code, locale);
  // prettyErrors appends " at line L, column C:" and a source excerpt; the position is kept in line/column.
  const problem = firstLine(error.message).replace(/ at line \d+, column \d+:?$/, '');
  return {
    key: '(yaml)',
    path: [],
    code: 'yaml-syntax',
    problem,
    fix,
    ...(at === undefined ? {} : { line: at.line, column: at.col }),
  };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

/** The position of the deepest node on `path` that exists in the document (the key itself for mapping entries). */
function locatePath(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly ConfigPathSegment[],
): { line: number; col: number } | undefined {
  let node: unknown = doc.contents;
  // Stays undefined when not even the first key exists: "line 1" would point at nothing useful.
  let offset: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      if (isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (item === undefined) break;
      if (item.range) offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset);
}

/** What a config file read gives: the text and the absolute path, or the `(file)` error that says why not. */
export type ConfigFileResult =
  | { readonly ok: true; readonly text: string; readonly absolute: string }
  | { readonly ok: false; readonly error: ConfigError };

/** The fixes for a config file that cannot be read (they differ by command: `--config` here, `--from` for snippets). */
export interface ConfigFileFixes {
  readonly missing: string;
  readonly unreadable: string;
  /** What names the file (`--config`) [the config path]. */
  readonly setting?: string;
}

function configFileError(cause: unknown, absolute: string, fixes: ConfigFileFixes, locale: Locale): ConfigError {
  const t = localize(CONFIG_TEXTS, locale);
  const p = describeFileProblem(
    cause,
    {
      shown: t('file.shownConfig', { path: absolute }),
      setting: fixes.setting ?? t('file.configSetting'),
      what: t('file.configWhat'),
      missing: fixes.missing,
      unreadable: fixes.unreadable,
    },
    locale,
  );
  // `file-missing` is for files the config names; a missing config file has always been `file-unreadable`.
  return {
    key: '(file)',
    path: [],
    code: p.code === 'file-missing' ? 'file-unreadable' : p.code,
    problem: p.problem,
    fix: p.fix,
  };
}

/**
 * Reads a config file as text (a regular file of at most {@link MAX_CONFIG_FILE_BYTES}), or the `(file)` error
 * that says why it cannot be read (in `locale`), with the fix for a missing file and for an unreadable one.
 */
export function readConfigFile(
  path: string,
  readTextFile: ((path: string) => string) | undefined,
  fixes: ConfigFileFixes,
  locale: Locale = DEFAULT_LOCALE,
): ConfigFileResult {
  const absolute = resolve(path);
  try {
    return {
      ok: true,
      text: (readTextFile ?? ((p: string) => readRegularFileSync(p, { maxBytes: MAX_CONFIG_FILE_BYTES })))(absolute),
      absolute,
    };
  } catch (cause) {
    return { ok: false, error: configFileError(cause, absolute, fixes, locale) };
  }
}

/** {@link readConfigFile} without blocking the event loop (and with a time limit: {@link readRegularFile}). */
export async function readConfigFileAsync(
  path: string,
  fixes: ConfigFileFixes,
  locale: Locale = DEFAULT_LOCALE,
): Promise<ConfigFileResult> {
  const absolute = resolve(path);
  try {
    return { ok: true, text: await readRegularFile(absolute, { maxBytes: MAX_CONFIG_FILE_BYTES }), absolute };
  } catch (cause) {
    return { ok: false, error: configFileError(cause, absolute, fixes, locale) };
  }
}
