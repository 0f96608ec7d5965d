// `matrix-delegation plan`: is delegation needed, which method, and what to put where (documents, config, snippets).

import { Option } from 'commander';
import type { Command } from 'commander';
import { MatrixDelegationError } from '../../errors.js';
import { DELEGATION_METHODS } from '../../plan/types.js';
import type { DelegationMethod, PlanRequest } from '../../plan/index.js';
import type { Locale } from '../../i18n/locale.js';
import { terminalJson } from '../../report/terminal-text.js';
import { cliText } from '../cli-texts.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { localeOf } from '../lang-flag.js';
import { addNetworkFlags } from '../network-flags.js';
import type { NetworkFlagValues } from '../network-flags.js';

/** Asks one question and resolves with the answer (trimmed by the caller). */
export type Prompt = (question: string) => Promise<string>;

interface PlanFlags extends NetworkFlagValues {
  readonly serverName?: string;
  readonly homeserver?: string;
  readonly method?: DelegationMethod;
  readonly proxyTo?: string;
  readonly identityServer?: string;
  readonly supportEmail?: string;
  readonly supportMatrixId?: string;
  readonly supportPage?: string;
  readonly jitsiDomain?: string;
  readonly e2eeDefault?: 'true' | 'false';
  readonly livekitServiceUrl?: string;
  readonly tlsCertificatePath?: string;
  readonly tlsPrivateKeyPath?: string;
  readonly probe?: boolean;
  readonly json?: boolean;
}

/**
 * A prompt on the terminal, or null when stdin or stdout is not a terminal (scripts and pipes get a usage error
 * naming the missing flag instead of a question nobody answers).
 */
export function terminalPrompt(): Prompt | null {
  if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) return null;
  return async (question) => {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}

/** Fills in a missing value by asking, or fails with the flag to pass (in `locale`). */
async function need(
  value: string | undefined,
  flag: string,
  question: string,
  prompt: Prompt | null,
  locale: Locale,
): Promise<string> {
  if (value !== undefined && value.trim() !== '') return value.trim();
  if (prompt === null) throw new MatrixDelegationError('INVALID_ARGUMENT', cliText(locale, 'missingFlag', { flag }));
  const answer = (await prompt(question)).trim();
  if (answer === '') throw new MatrixDelegationError('INVALID_ARGUMENT', cliText(locale, 'noAnswer', { flag }));
  return answer;
}

/**
 * Registers `plan`; its action sets `setExit` (0 when a plan was printed; usage errors throw and exit 2).
 * `prompt` asks for a missing server name or homeserver (default: the terminal, when there is one).
 */
export function registerPlan(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
  givenPrompt?: Prompt | null,
): void {
  const command = program
    .command('plan')
    .description(
      'say whether a server name needs delegation, which method, and print what to put where (documents, config, web-server snippets, DNS)',
    )
    .option('--server-name <name>', 'the server name, the part after ":" in user IDs (e.g. example.com)')
    .option(
      '--homeserver <url>',
      'where the homeserver answers, e.g. https://matrix.example.com or https://matrix.example.com:8448',
    )
    .addOption(
      new Option('--method <method>', 'delegation method (SRV only on request: not recommended)')
        .choices(DELEGATION_METHODS)
        .default('well-known'),
    )
    .option(
      '--proxy-to <url>',
      'in the web-server snippets, also proxy /_matrix and /_synapse/client to the homeserver at this URL (e.g. http://127.0.0.1:8008), on 443 and 8448',
    )
    .option('--identity-server <url>', 'm.identity_server of the client document')
    .option('--support-email <address>', 'publish /.well-known/matrix/support with this admin e-mail address')
    .option('--support-matrix-id <user_id>', 'publish /.well-known/matrix/support with this admin Matrix ID')
    .option('--support-page <url>', 'publish /.well-known/matrix/support with this support page')
    .option('--jitsi-domain <host>', 'the Jitsi Meet server for conferences in Element (im.vector.riot.jitsi)')
    .addOption(
      new Option('--e2ee-default <true|false>', 'encrypt new rooms by default in Element (io.element.e2ee)').choices([
        'true',
        'false',
      ]),
    )
    .option(
      '--livekit-service-url <url>',
      'the LiveKit JWT service for Element Call (org.matrix.msc4143.rtc_foci, and matrix_rtc in homeserver.yaml)',
    )
    .option(
      '--tls-certificate-path <pem>',
      "certificate chain of the server name's web server (default: certbot's fullchain.pem)",
    )
    .option('--tls-private-key-path <pem>', "its private key (default: certbot's privkey.pem)")
    .option('--no-probe', 'do not connect to <server_name>:8448 to see whether delegation is needed')
    .option('--json', 'print the plan as JSON');
  addNetworkFlags(command).action(async (flags: PlanFlags) => {
    // Decided here, not when the command is declared: looking at process.stdin opens it, which no other command should pay for.
    const prompt = givenPrompt === undefined ? terminalPrompt() : givenPrompt;
    const locale = localeOf(command);
    const serverName = await need(flags.serverName, '--server-name', cliText(locale, 'askServerName'), prompt, locale);
    const homeserver = await need(flags.homeserver, '--homeserver', cliText(locale, 'askHomeserver'), prompt, locale);
    const request: PlanRequest = {
      serverName,
      homeserver,
      method: flags.method ?? 'well-known',
      ...(flags.proxyTo ? { proxyTo: flags.proxyTo } : {}),
      ...(flags.identityServer ? { identityServer: flags.identityServer } : {}),
      ...(flags.supportEmail ? { supportEmail: flags.supportEmail } : {}),
      ...(flags.supportMatrixId ? { supportMatrixId: flags.supportMatrixId } : {}),
      ...(flags.supportPage ? { supportPage: flags.supportPage } : {}),
      ...(flags.jitsiDomain ? { jitsiDomain: flags.jitsiDomain } : {}),
      ...(flags.e2eeDefault ? { e2eeDefault: flags.e2eeDefault === 'true' } : {}),
      ...(flags.livekitServiceUrl ? { livekitServiceUrl: flags.livekitServiceUrl } : {}),
      ...(flags.tlsCertificatePath ? { tlsCertificatePath: flags.tlsCertificatePath } : {}),
      ...(flags.tlsPrivateKeyPath ? { tlsPrivateKeyPath: flags.tlsPrivateKeyPath } : {}),
      ...(flags.federationPort ? { federationPort: flags.federationPort } : {}),
      locale,
    };
    // The planner (and its network probe) is loaded on use, so that `--help` and the other commands start fast.
    const [{ createPlan, planJson, renderPlanText }, { networkOptions }] = await Promise.all([
      import('../../plan/index.js'),
      import('../network-options.js'),
    ]);
    const plan = await createPlan(request, {
      ...(await networkOptions(flags)),
      ...(flags.timeoutMs ? { operationTimeoutMs: flags.timeoutMs } : {}),
      probe: flags.probe !== false,
    });
    // The explanations in the chosen language (--json: its reasons and caveats too); the files the same in all.
    io.stdout(flags.json ? `${terminalJson(planJson(plan), 2)}\n` : renderPlanText(plan, { locale }));
    setExit(EXIT.ok);
  });
}
