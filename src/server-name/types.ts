// Types of parsed Matrix server names and of the reasons a server name is rejected (spec appendix "Server Name").

/**
 * Every stable rule id a server name can fail. Callers (the diagnosis catalogue, the CLI) switch on these;
 * the human message that comes with a failure may change between versions, the ids do not.
 */
export const SERVER_NAME_RULES = [
  /** The input is the empty string. */
  'empty',
  /** The input contains a space, tab, line break or other Unicode white space. */
  'whitespace',
  /** The input contains a control character (C0, DEL or C1) other than white space. */
  'control-character',
  /** The input contains a non-ASCII character (internationalised names must be sent as punycode). */
  'non-ascii',
  /** Nothing before the `:port`, as in `:80`. */
  'host-empty',
  /** A `:` with nothing after it. */
  'port-empty',
  /** The port contains something other than the digits 0-9 (`localhost:http`, `example.org:+80`). */
  'port-not-numeric',
  /** The port has more than the 5 digits the grammar allows. */
  'port-too-long',
  /** The port is 0 or above 65535. */
  'port-range',
  /** More than one `:` outside brackets, and the text is not an IPv6 address (`1234:5678:80`). */
  'too-many-colons',
  /** A bare IPv6 address: it must be written in square brackets. */
  'ipv6-missing-brackets',
  /** Starts with `[` but has no `]`. */
  'ipv6-unclosed-bracket',
  /** A `[` or `]` anywhere but around a leading IPv6 address (`1234]`, `a[b]`). */
  'ipv6-misplaced-bracket',
  /** Something other than `:port` after the closing `]`. */
  'ipv6-trailing-characters',
  /** `[]`. */
  'ipv6-empty',
  /** A zone id (`%eth0`) inside the brackets. */
  'ipv6-zone-id',
  /** The text inside the brackets is not an RFC 4291 IPv6 address. */
  'ipv6-invalid',
  /** An IPv4 address in brackets (`[1.2.3.4]`). */
  'ipv4-in-brackets',
  /** Four dot-separated numbers, one of which is above 255 or longer than 3 digits. */
  'ipv4-octet-range',
  /** A character other than letters, digits, `-` and `.` in a DNS name (`underscore_.com`). */
  'dns-invalid-character',
  /** An empty label: a leading dot or two dots in a row. */
  'dns-empty-label',
  /** A trailing dot (`matrix.org.`): rejected by this library, see {@link parseServerName}. */
  'dns-trailing-dot',
  /** A label longer than 63 characters (RFC 1035 §2.3.4). */
  'dns-label-too-long',
  /** A DNS name longer than the grammar's 255 characters. */
  'dns-too-long',
  /** An `xn--` label that is not valid punycode. */
  'punycode-invalid',
] as const;

/** A stable id of the grammar rule a server name failed; see {@link SERVER_NAME_RULES}. */
export type ServerNameRule = (typeof SERVER_NAME_RULES)[number];

/** What the host of a server name is: an IPv4 literal, a bracketed IPv6 literal or a DNS name. */
export type ServerNameKind = 'ipv4' | 'ipv6' | 'dns';

/**
 * A valid Matrix server name, split into its parts.
 *
 * `host` keeps the text exactly as written (server names are case-sensitive identifiers in Matrix, so
 * `Matrix.org` is not lowercased and IPv6 text is not rewritten); an IPv6 host is given without its brackets.
 * To connect to an IP literal use `normalizeIp(host, kind)`, never the raw text.
 */
export interface ServerName {
  /** The host as written: a DNS name, dotted IPv4, or IPv6 without brackets. */
  readonly host: string;
  /** Which of the three grammar alternatives the host is. */
  readonly kind: ServerNameKind;
  /** The explicit port (1-65535); absent when the name has none. */
  readonly port?: number;
}

/** Why a string is not a valid server name: a stable `rule` id and an explanation for an admin. */
export interface ServerNameError {
  /** Always `INVALID_SERVER_NAME` (the error code of `src/errors.ts`). */
  readonly code: 'INVALID_SERVER_NAME';
  /** The grammar rule that failed. */
  readonly rule: ServerNameRule;
  /** What is wrong and how to fix it, in words an admin understands. */
  readonly message: string;
  /** The input as given. */
  readonly input: string;
}

/** The result of `parseServerName`: never an exception. */
export type ServerNameResult =
  { readonly ok: true; readonly value: ServerName } | { readonly ok: false; readonly error: ServerNameError };

/** A rule failure found by one of the host validators, before it is wrapped into a {@link ServerNameError}. */
export interface RuleFailure {
  readonly rule: ServerNameRule;
  readonly message: string;
}
