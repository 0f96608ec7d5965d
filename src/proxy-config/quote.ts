// Quoting of values for each configuration syntax, so that a server reads back exactly the bytes meant.

import { MatrixDelegationError } from '../errors.js';

/**
 * The nginx variable that holds a literal `$`. nginx reads `$name` in `return` texts and header values as a
 * variable and has no escape for `$`; a `geo` block (whose values are never interpolated) defines this one.
 */
export const NGINX_DOLLAR_VARIABLE = 'matrix_delegation_dollar';

/** The `geo` block (http context) defining {@link NGINX_DOLLAR_VARIABLE}; needed only when a value holds `$`. */
export const NGINX_DOLLAR_GEO = `geo $${NGINX_DOLLAR_VARIABLE} {\n    default "$";\n}`;

/**
 * An nginx single-quoted string: `\` and `'` backslash-escaped (nginx unescapes `\\`, `\'`, `\"`, `\n`, ... in
 * quoted strings, so every backslash of a JSON body must be doubled), `$` written as `${matrix_delegation_dollar}`.
 *
 * @example
 * ```ts
 * nginxString(`{"a":"it's \\"x\\" $5"}`); // '{"a":"it\'s \\"x\\" ${matrix_delegation_dollar}5"}' (quotes included)
 * ```
 */
export function nginxString(value: string): string {
  const escaped = value.replace(/[\\']/g, (c) => `\\${c}`).replace(/\$/g, `\${${NGINX_DOLLAR_VARIABLE}}`);
  return `'${escaped}'`;
}

/**
 * A Caddyfile token for a value that Caddy passes through its placeholder replacer (`respond` bodies, `header`
 * values): backtick-quoted (nothing is escaped inside backticks), every `{` and `}` preceded by a backslash so
 * that no `{...}` is taken for a placeholder (the replacer drops the backslash). Null when the value cannot be
 * written: it holds a backtick (which would end the token) or `{$` (which Caddy replaces with an environment
 * variable anywhere in the file, before parsing).
 *
 * @example
 * ```ts
 * caddyToken('{"m.server":"matrix.example.com:443"}'); // '`\{"m.server":"matrix.example.com:443"\}`'
 * ```
 */
export function caddyToken(value: string): string | null {
  if (value.includes('`') || value.includes('{$')) return null;
  return `\`${value.replace(/[{}]/g, (c) => `\\${c}`)}\``;
}

/** True when {@link caddyToken} can write `value`. */
export function caddyCanWrite(value: string): boolean {
  return caddyToken(value) !== null;
}

/**
 * A file path in a Caddyfile: as is when it holds only ordinary path characters, double-quoted when it holds
 * spaces. Paths are not run through the placeholder replacer by every directive, so braces, quotes, backslashes
 * and backticks are refused rather than escaped in a way one directive would not undo.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for a path with `{`, `}`, `"`, `\` or a backtick.
 */
export function caddyPath(path: string): string {
  if (/^[\w./+@=,:~-]+$/.test(path)) return path;
  if (/[{}"\\`\n\r]/.test(path)) throw unwritable('Caddyfile', path);
  return `"${path}"`;
}

/**
 * An HAProxy single-quoted word. Nothing is interpreted inside single quotes (no `\`, `$` or `#`), and a
 * single quote is written by closing the quote, adding `\'` and reopening: HAProxy joins adjacent quoted parts.
 *
 * @example
 * ```ts
 * haproxyString(`it's`); // 'it'\''s'
 * ```
 */
export function haproxyString(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * An HAProxy log-format argument (`hdr <name> <fmt>` values): `%` doubled, since `%` starts a log-format
 * variable there, then single-quoted.
 */
export function haproxyLogFormat(value: string): string {
  return haproxyString(value.replace(/%/g, '%%'));
}

/**
 * An Apache httpd double-quoted argument: `\` and `"` backslash-escaped (httpd unescapes both in quoted
 * arguments).
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for a value holding `${`, which httpd replaces with a
 *   `Define`d variable in every directive and offers no escape for, or a line break.
 */
export function apacheString(value: string): string {
  if (value.includes('${') || /[\n\r]/.test(value)) throw unwritable('Apache httpd', value);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** An Apache `Header set` value: `%` doubled (mod_headers reads `%t`, `%{VAR}e`, ...), then {@link apacheString}. */
export function apacheHeaderValue(value: string): string {
  return apacheString(value.replace(/%/g, '%%'));
}

/**
 * A POSIX shell single-quoted word (for the commands in comments that create document files).
 *
 * @example
 * ```ts
 * shellQuote(`it's`); // 'it'\''s'
 * ```
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** An nginx path argument: bare when it holds only ordinary path characters, else {@link nginxString}. */
export function nginxPath(path: string): string {
  return /^[\w./+@=,:~-]+$/.test(path) ? path : nginxString(path);
}

/** An HAProxy path argument: bare when it holds only ordinary path characters, else {@link haproxyString}. */
export function haproxyPath(path: string): string {
  return /^[\w./+@=,:~-]+$/.test(path) ? path : haproxyString(path);
}

/** Every line of `text` prefixed with `# ` (a comment in all four web-server syntaxes and in YAML). */
export function hashComment(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '#' : `# ${line}`))
    .join('\n');
}

/** Indents every non-empty line of `text` by `prefix`. */
export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${prefix}${line}`))
    .join('\n');
}

function unwritable(syntax: string, value: string): MatrixDelegationError {
  return new MatrixDelegationError(
    'INVALID_ARGUMENT',
    `${JSON.stringify(value)} cannot be written into the ${syntax} configuration; use a value without those characters`,
    {
      detail: { value, syntax },
    },
  );
}
