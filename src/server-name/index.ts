// Server names (spec appendix "Server Name"): parse, validate, format, normalise and advise.

export { SERVER_NAME_RULES } from './types.js';
export type { ServerName, ServerNameError, ServerNameKind, ServerNameResult, ServerNameRule } from './types.js';
export { parseServerName, parseServerNameOrThrow } from './parse.js';
export { formatHost, formatServerName } from './format.js';
export { normalizeIp } from './ip-address.js';
export { RECOMMENDED_MAX_SERVER_NAME_LENGTH, serverNameWarnings } from './warnings.js';
export { SERVER_NAME_RULE_TEXTS, serverNameProblem } from './rule-texts.js';
