// Renders a plan for people (text with copy-ready blocks) and for programs (JSON with the same content).

import type { WebServerTarget } from '../proxy-config/types.js';
import { escapeTerminalLines, terminalSafe } from '../report/terminal-text.js';
import { PLAN_CONFIG_FILE } from './build.js';
import type { Plan } from './types.js';

const TARGET_TITLES: Readonly<Record<WebServerTarget, string>> = {
  nginx: 'nginx (a server block for the http context)',
  caddy: 'Caddy (Caddyfile site block)',
  apache: 'Apache httpd (a <VirtualHost>; the documents are files)',
  haproxy: 'HAProxy (frontend and backend sections)',
};

/** A block to copy: a title line, the text, and a closing rule, so that the text itself is untouched. */
function block(title: string, text: string): string {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `----- ${title} -----\n${body}----- end -----\n`;
}

function verdictLine(plan: Plan): string {
  switch (plan.decision.verdict) {
    case 'needed':
      return `Is delegation needed? Yes: ${plan.decision.method === 'srv' ? 'by an SRV record (as asked)' : 'by /.well-known/matrix/server'}.`;
    case 'not-needed':
      return 'Is delegation needed? No.';
    case 'not-possible':
      return 'Is delegation needed? It is not possible for this server name.';
  }
}

/**
 * The plan as text: the verdict with its reasons and caveats, then what to put where (documents, config,
 * web-server snippets, DNS, homeserver.yaml), then the next step (`matrix-delegation check`).
 *
 * @example
 * ```ts
 * process.stdout.write(renderPlanText(await createPlan({ serverName: 'example.com', homeserver: 'matrix.example.com' })));
 * ```
 */
export function renderPlanText(input: Plan): string {
  // Every string escaped before formatting: the probe's findings (the version a server names, its errors) come
  // from the network. The copy-ready blocks keep their line breaks (ours); any other control character shows.
  const plan: Plan = {
    ...terminalSafe(input),
    config: escapeTerminalLines(input.config),
    snippets: Object.fromEntries(
      Object.entries(input.snippets).map(([target, text]) => [target, escapeTerminalLines(text)]),
    ) as Plan['snippets'],
    dns: escapeTerminalLines(input.dns),
    synapse: escapeTerminalLines(input.synapse),
  };
  const { decision, homeserver } = plan;
  const host = plan.serverHost;
  const out: string[] = [
    `Delegation plan for ${plan.serverName}`,
    `  Homeserver: ${homeserver.baseUrl} (federation on ${homeserver.host}:${homeserver.port})`,
    '',
    verdictLine(plan),
    ...decision.reasons.map((r) => `  - ${r}`),
  ];
  if (decision.caveats.length > 0) out.push('  Mind:', ...decision.caveats.map((c) => `  - ${c}`));
  if (decision.method !== 'srv' && plan.srvRecord !== null) {
    out.push(
      `  SRV delegation is possible too, but not recommended (the certificate must name ${host}; no client settings): see 4.`,
    );
  }

  const documentLine = (path: string, body: string | null, missing: string): string =>
    `  ${path.padEnd(29)}${body ?? missing}`;
  out.push(
    '',
    `1. The documents, on https://${host}/ (port 443), as application/json with CORS headers:`,
    documentLine(
      '/.well-known/matrix/server',
      plan.documents.server,
      decision.method === 'srv' ? 'not served (SRV delegation)' : 'not served (no delegation)',
    ),
    documentLine('/.well-known/matrix/client', plan.documents.client, 'not served'),
    documentLine(
      '/.well-known/matrix/support',
      plan.documents.support,
      'not served (add --support-email, --support-matrix-id or --support-page)',
    ),
    '',
    `2. A matrix-delegation config that serves them: save it as ${PLAN_CONFIG_FILE}, then run`,
    `   \`matrix-delegation serve --config ${PLAN_CONFIG_FILE}\` on ${host}, or \`matrix-delegation config <server> --from ${PLAN_CONFIG_FILE}\`.`,
    block(PLAN_CONFIG_FILE, plan.config),
    '3. Or serve them with your web server (the same bytes and headers):',
  );
  for (const [target, text] of Object.entries(plan.snippets) as [WebServerTarget, string][])
    out.push(block(TARGET_TITLES[target], text));
  out.push('4. DNS (zone-file syntax):', block('DNS records', plan.dns));
  if (decision.method !== 'srv' && plan.srvRecord !== null) {
    out.push(
      'SRV delegation instead of the well-known document (not recommended):',
      `  ${plan.srvRecord}`,
      `  The homeserver must then present a certificate for ${host}, and clients still need /.well-known/matrix/client.`,
      '',
    );
  }
  out.push('5. Synapse (homeserver.yaml):', block('homeserver.yaml', plan.synapse));
  for (const warning of plan.warnings) out.push(`Warning: ${warning}`);
  out.push(
    `Next: once this is in place, run \`${plan.next[0] ?? `matrix-delegation check ${plan.serverName}`}\` to test it as other servers will.`,
    '',
  );
  return out.join('\n');
}

/** The plan as JSON data: the same content as the text, for scripts. */
export function planJson(plan: Plan): Record<string, unknown> {
  return {
    serverName: plan.serverName,
    serverHost: plan.serverHost,
    homeserver: plan.homeserver,
    probe: plan.probe,
    delegation: plan.decision,
    documents: plan.documents,
    config: { file: PLAN_CONFIG_FILE, yaml: plan.config },
    snippets: plan.snippets,
    files: plan.files,
    srvRecord: plan.srvRecord,
    dns: plan.dns,
    synapse: plan.synapse,
    next: plan.next,
    warnings: plan.warnings,
  };
}
