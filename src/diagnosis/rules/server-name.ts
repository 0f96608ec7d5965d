// Rules about the server name itself (spec appendix "Server Name"; resolution steps 1 and 2).

import { localize } from '../../i18n/index.js';
import { parseServerName, serverNameProblem } from '../../server-name/index.js';
import type { Finding, Rule } from '../rule.js';
import { cleanServerName, reportWords } from '../text.js';
import { SERVER_NAME_TEXTS } from './server-name-texts.js';

/** The name fails the grammar: nothing else can be checked. */
export const serverNameInvalid: Rule = (facts) => {
  if (facts.parsed !== null || facts.input.resolution.error?.code !== 'INVALID_SERVER_NAME') return [];
  const t = localize(SERVER_NAME_TEXTS, facts.locale);
  const cleaned = cleanServerName(facts.serverName, facts.locale);
  // The parser's message is English; in another language, the rule it broke said in that language.
  const parsed = parseServerName(facts.serverName);
  const rule = parsed.ok ? null : serverNameProblem(parsed.error, facts.locale);
  return [
    {
      id: 'server-name-invalid',
      detail: t('server-name-invalid.detail', {
        name: facts.serverName,
        why: reportWords(facts.input.resolution.error.message, rule, facts.locale, [facts.serverName]),
        faults: cleaned.faults,
      }),
      fix:
        cleaned.cleaned !== null
          ? t('server-name-invalid.fixCleaned', { cleaned: cleaned.cleaned })
          : t('server-name-invalid.fix'),
    },
  ];
};

/** An explicit port skips the well-known and SRV (spec step 2): worth saying, since admins often expect delegation. */
export const serverNameHasPort: Rule = (facts) => {
  const p = facts.parsed;
  if (p === null || p.kind !== 'dns' || p.port === undefined) return [];
  const t = localize(SERVER_NAME_TEXTS, facts.locale);
  return [
    {
      id: 'server-name-has-port',
      detail: t('server-name-has-port.detail', { name: facts.serverName, host: p.host, port: p.port }),
      fix: t('server-name-has-port.fix', { name: facts.serverName }),
    },
  ];
};

/** An IP literal: no delegation, no SNI, and the certificate must carry the IP address. */
export const serverNameIpLiteral: Rule = (facts) => {
  const p = facts.parsed;
  if (p === null || p.kind === 'dns') return [];
  const t = localize(SERVER_NAME_TEXTS, facts.locale);
  const findings: Finding[] = [
    {
      id: 'server-name-ip-literal',
      detail: t('server-name-ip-literal.detail', { name: facts.serverName }),
      fix: t('server-name-ip-literal.fix'),
    },
  ];
  return findings;
};

/** The rules of this file, in order. */
export const serverNameRules: readonly Rule[] = [serverNameInvalid, serverNameHasPort, serverNameIpLiteral];
