// Loading the `serve` config: YAML text or file -> validated ServeConfig, with line numbers on every problem.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, YAMLError } from 'yaml';
import { MatrixDelegationError } from '../../errors.js';
import { DEFAULT_CONFIG_SOURCE, DEFAULT_CONFIG_YAML } from './defaults.js';
import { formatConfigErrors } from './format.js';
import type { ConfigError, ConfigPathSegment, ConfigResult, ConfigSuccess } from './types.js';
import { formatWarning, validateConfigData } from './validate.js';
import type { ValidateOptions } from './validate.js';

/** Options of {@link parseConfig}: see {@link ValidateOptions}. */
export type ParseConfigOptions = ValidateOptions;

/** Options of {@link loadConfig}: relative paths resolve against the config file's directory, the source is its path. */
export type LoadConfigOptions = Omit<ValidateOptions, 'sourceName' | 'baseDir'>;

/** Aliases allowed in one file: enough for any real config, few enough to stop "billion laughs" expansion. */
const MAX_ALIAS_COUNT = 100;

/** What to do about each kind of YAML syntax error (the `yaml` package's codes). */
const YAML_FIXES: Partial<Record<YAMLError['code'], string>> = {
  DUPLICATE_KEY: 'keep only one of the keys with this name',
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  BAD_INDENT: 'line the keys of one mapping up at the same indentation, with spaces',
  MULTIPLE_DOCS: 'keep one YAML document in the file (remove the extra --- line)',
  BAD_DQ_ESCAPE: 'fix the backslash escape, or use single quotes, in which \\ has no special meaning',
  MISSING_CHAR: 'add the missing closing quote or bracket',
  RESOURCE_EXHAUSTION: 'use fewer aliases (*name)',
};

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
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) return { ok: false, errors: doc.errors.map(yamlSyntaxError), warnings: [] };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    const error: ConfigError = {
      key: '(yaml)',
      path: [],
      code: 'yaml-syntax',
      problem: (cause as Error).message,
      fix: YAML_FIXES.RESOURCE_EXHAUSTION ?? 'simplify the YAML',
    };
    return { ok: false, errors: [error], warnings: [] };
  }

  const { issues, config } = validateConfigData(data, options);
  const locate = (path: readonly ConfigPathSegment[]): { line: number; col: number } | undefined => locatePath(doc, lineCounter, path);
  const warnings = [
    ...doc.warnings.map((warning) => `(yaml)${warning.linePos ? ` (line ${warning.linePos[0].line})` : ''}: ${firstLine(warning.message)}`),
    ...issues.warnings.map((warning) => formatWarning(warning, warning.path.length === 0 ? undefined : locate(warning.path)?.line)),
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

/**
 * Reads and validates a configuration file (synchronously: it runs once, before any listener opens).
 * Relative TLS and CA file paths resolve against the file's directory.
 *
 * @example
 * ```ts
 * const result = loadConfig('/etc/matrix-delegation/serve.yaml');
 * if (!result.ok) { process.stderr.write(formatConfigErrors(result.errors)); process.exit(1); }
 * ```
 */
export function loadConfig(path: string, options: LoadConfigOptions = {}): ConfigResult {
  const file = readConfigFile(path, options.readTextFile, {
    missing: 'check the --config path, or copy one of the files in examples/ there',
    unreadable: 'make the file readable by the user running the server',
  });
  if (!file.ok) return { ok: false, errors: [file.error], warnings: [] };
  return parseConfig(file.text, { ...options, sourceName: path, baseDir: dirname(file.absolute) });
}

/**
 * Like {@link parseConfig}, but throws when the configuration is refused.
 *
 * @throws MatrixDelegationError `INVALID_CONFIG` whose message is {@link formatConfigErrors}' text and whose
 *   `detail.errors` holds the {@link ConfigError} list.
 */
export function parseConfigOrThrow(yamlText: string, options: ParseConfigOptions = {}): ConfigSuccess {
  return orThrow(parseConfig(yamlText, options), options.sourceName);
}

/**
 * Like {@link loadConfig}, but throws when the file cannot be read or the configuration is refused.
 *
 * @throws MatrixDelegationError `INVALID_CONFIG` (see {@link parseConfigOrThrow}).
 */
export function loadConfigOrThrow(path: string, options: LoadConfigOptions = {}): ConfigSuccess {
  return orThrow(loadConfig(path, options), path);
}

/** The built-in configuration `npm start` runs on ({@link DEFAULT_CONFIG_YAML}); it is valid by construction. */
export function loadDefaultConfig(): ConfigSuccess {
  return parseConfigOrThrow(DEFAULT_CONFIG_YAML, { sourceName: DEFAULT_CONFIG_SOURCE });
}

function orThrow(result: ConfigResult, source: string | undefined): ConfigSuccess {
  if (result.ok) return result;
  throw new MatrixDelegationError('INVALID_CONFIG', formatConfigErrors(result.errors, source), {
    detail: { errors: result.errors, ...(source === undefined ? {} : { source }) },
  });
}

function yamlSyntaxError(error: YAMLError): ConfigError {
  const at = error.linePos?.[0];
  const fix = YAML_FIXES[error.code] ?? 'check the indentation and quoting at this line (values containing ": " or starting with @, * or & need quotes)';
  // prettyErrors appends " at line L, column C:" and a source excerpt; the position is kept in line/column.
  const problem = firstLine(error.message).replace(/ at line \d+, column \d+:?$/, '');
  return { key: '(yaml)', path: [], code: 'yaml-syntax', problem, fix, ...(at === undefined ? {} : { line: at.line, column: at.col }) };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

/** The position of the deepest node on `path` that exists in the document (the key itself for mapping entries). */
function locatePath(doc: Document, lineCounter: LineCounter, path: readonly ConfigPathSegment[]): { line: number; col: number } | undefined {
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

/**
 * Reads a config file as text, or the `(file)` error that says why it cannot be read, with the fix for a missing
 * file and for an unreadable one (they differ by command: `--config` here, `--from` for snippets).
 */
export function readConfigFile(
  path: string,
  readTextFile: ((path: string) => string) | undefined,
  fixes: { readonly missing: string; readonly unreadable: string },
): { readonly ok: true; readonly text: string; readonly absolute: string } | { readonly ok: false; readonly error: ConfigError } {
  const absolute = resolve(path);
  try {
    return { ok: true, text: (readTextFile ?? ((p: string) => readFileSync(p, 'utf8')))(absolute), absolute };
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    const problem = missing ? `the config file ${absolute} does not exist` : `the config file ${absolute} cannot be read: ${(cause as Error).message}`;
    return { ok: false, error: { key: '(file)', path: [], code: 'file-unreadable', problem, fix: missing ? fixes.missing : fixes.unreadable } };
  }
}
