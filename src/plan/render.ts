// Renders a plan for people (text with copy-ready blocks) and for programs (JSON with the same content).

import { DEFAULT_LOCALE, localize, type Locale, type Localized } from '../i18n/index.js';
import type { WebServerTarget } from '../proxy-config/types.js';
import { escapeTerminalLines, terminalSafe } from '../report/terminal-text.js';
import { PLAN_CONFIG_FILE } from './build.js';
import { PLAN_TEXTS } from './plan-texts.js';
import type { Plan } from './types.js';

/** Options of {@link renderPlanText}. */
export interface PlanTextOptions {
  /**
   * The language of the text's own words [en]: headings, the verdict, the notes around the blocks. The reasons and
   * caveats are in the language the plan was made in (`PlanRequest.locale`); the blocks are the same in every language.
   */
  readonly locale?: Locale;
}

/** A block to copy: a title line, the text, and a closing rule, so that the text itself is untouched. */
function block(title: string, text: string): string {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `----- ${title} -----\n${body}----- end -----\n`;
}

function verdictLine(plan: Plan, t: Localized<(typeof PLAN_TEXTS)['en']>): string {
  switch (plan.decision.verdict) {
    case 'needed':
      return plan.decision.method === 'srv' ? t('verdict.srv') : t('verdict.wellKnown');
    case 'not-needed':
      return t('verdict.notNeeded');
    case 'not-possible':
      return t('verdict.notPossible');
  }
}

/**
 * The plan as text: the verdict with its reasons and caveats, then what to put where (documents, config,
 * web-server snippets, DNS, homeserver.yaml), then the next step (`matrix-delegation check`), in `options.locale`.
 *
 * @example
 * ```ts
 * process.stdout.write(renderPlanText(await createPlan({ serverName: 'example.com', homeserver: 'matrix.example.com' })));
 * ```
 */
export function renderPlanText(input: Plan, options: PlanTextOptions = {}): string {
  const t = localize(PLAN_TEXTS, options.locale ?? DEFAULT_LOCALE);
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
    t('heading', { serverName: plan.serverName }),
    t('homeserver', { url: homeserver.baseUrl, address: `${homeserver.host}:${homeserver.port}` }),
    '',
    verdictLine(plan, t),
    ...decision.reasons.map((r) => `  - ${r}`),
  ];
  if (decision.caveats.length > 0) out.push(t('mind'), ...decision.caveats.map((c) => `  - ${c}`));
  if (decision.method !== 'srv' && plan.srvRecord !== null) out.push(t('srvPossible', { host }));

  const documentLine = (path: string, body: string | null, missing: string): string =>
    `  ${path.padEnd(29)}${body ?? missing}`;
  out.push(
    '',
    t('documents', { host }),
    documentLine(
      '/.well-known/matrix/server',
      plan.documents.server,
      decision.method === 'srv' ? t('notServed.srv') : t('notServed.none'),
    ),
    documentLine('/.well-known/matrix/client', plan.documents.client, t('notServed.client')),
    documentLine('/.well-known/matrix/support', plan.documents.support, t('notServed.support')),
    '',
    t('configSave', { file: PLAN_CONFIG_FILE }),
    t('configRun', { file: PLAN_CONFIG_FILE, host }),
    block(PLAN_CONFIG_FILE, plan.config),
    t('webServer'),
  );
  for (const [target, text] of Object.entries(plan.snippets) as [WebServerTarget, string][])
    out.push(block(t(`target.${target}`), text));
  out.push(t('dns'), block(t('dnsBlock'), plan.dns));
  if (decision.method !== 'srv' && plan.srvRecord !== null) {
    out.push(t('srvInstead'), `  ${plan.srvRecord}`, t('srvCertificate', { host }), '');
  }
  out.push(t('synapse'), block('homeserver.yaml', plan.synapse));
  for (const warning of plan.warnings) out.push(t('warning', { warning }));
  out.push(t('next', { command: plan.next[0] ?? `matrix-delegation check ${plan.serverName}` }), '');
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
