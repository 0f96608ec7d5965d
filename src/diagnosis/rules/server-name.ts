// Rules about the server name itself (spec appendix "Server Name"; resolution steps 1 and 2).

import type { Finding, Rule } from '../rule.js';
import { cleanServerName } from '../text.js';

/** The name fails the grammar: nothing else can be checked. */
export const serverNameInvalid: Rule = (facts) => {
  if (facts.parsed !== null || facts.input.resolution.error?.code !== 'INVALID_SERVER_NAME') return [];
  const cleaned = cleanServerName(facts.serverName);
  const why = facts.input.resolution.error.message;
  const faults = cleaned.faults.length > 0 ? ` It contains ${cleaned.faults.join(', ')}.` : '';
  return [
    {
      id: 'server-name-invalid',
      detail: `"${facts.serverName}" is not a valid server name: ${why}.${faults}`,
      fix:
        cleaned.cleaned !== null
          ? `Check "${cleaned.cleaned}" instead: a server name is the part after the colon of a user ID (@alice:${cleaned.cleaned}), without scheme or path.`
          : "Give the server name exactly as in the homeserver's server_name setting: a host name (example.com), optionally with a port (example.com:8448), without scheme, path or spaces.",
    },
  ];
};

/** An explicit port skips the well-known and SRV (spec step 2): worth saying, since admins often expect delegation. */
export const serverNameHasPort: Rule = (facts) => {
  const p = facts.parsed;
  if (p === null || p.kind !== 'dns' || p.port === undefined) return [];
  return [
    {
      id: 'server-name-has-port',
      detail:
        `${facts.serverName} has an explicit port, so servers connect to ${p.host} on port ${p.port} directly: ` +
        `https://${p.host}/.well-known/matrix/server and SRV records are never consulted (spec "Resolving server names", step 2).`,
      fix:
        `Nothing to change if this is intended. The port is part of every user ID (@alice:${facts.serverName}) and cannot be ` +
        'dropped later; delegation (a well-known document or SRV record) only works for server names without a port.',
    },
  ];
};

/** An IP literal: no delegation, no SNI, and the certificate must carry the IP address. */
export const serverNameIpLiteral: Rule = (facts) => {
  const p = facts.parsed;
  if (p === null || p.kind === 'dns') return [];
  const findings: Finding[] = [
    {
      id: 'server-name-ip-literal',
      detail:
        `${facts.serverName} is an IP address: servers connect to it directly (spec step 1), send no SNI, and check the ` +
        'certificate against the IP address, which public CAs rarely certify.',
      fix: 'Prefer a DNS name as server name for a new server (it cannot be changed later). For this one, the certificate must list the IP address as a subjectAltName.',
    },
  ];
  return findings;
};

/** The rules of this file, in order. */
export const serverNameRules: readonly Rule[] = [serverNameInvalid, serverNameHasPort, serverNameIpLiteral];
