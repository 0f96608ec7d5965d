// The `resolve` command's work: resolve, print, set the exit code (loaded by commands/resolve.ts on use).

import { resolveServerName } from '../../resolver/resolve.js';
import { parseServerName } from '../../server-name/index.js';
import type { ResolveResult } from '../../resolver/types.js';
import { terminalJson } from '../../report/terminal-text.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { networkOptions, openCacheStore } from '../network-options.js';
import { printError } from '../print-error.js';
import { compileForQuickExit } from '../quick-exit.js';
import { resolveJson } from '../../report/resolution-json.js';
import type { ResolveFlags } from './resolve-flags.js';

/** Resolves `serverName` with the flags' options, prints the result, and sets the exit code. */
export async function runResolveCommand(
  serverName: string,
  flags: ResolveFlags,
  io: CliIo,
  setExit: (code: number) => void,
): Promise<void> {
  const options = await networkOptions(flags);
  // Only a host name without a port makes the resolution fetch its well-known document over HTTPS (spec step 3).
  const parsed = parseServerName(serverName);
  if (parsed.ok && parsed.value.kind === 'dns' && parsed.value.port === undefined) await compileForQuickExit();
  const store = await openCacheStore(flags, io);
  let result: ResolveResult;
  try {
    result = await resolveServerName(serverName, { ...options, ...(store ? { cache: store.cache } : {}) });
  } finally {
    await store?.close();
  }
  const invalidName = result.error?.code === 'INVALID_SERVER_NAME';
  // The words (renderers, step descriptions, catalogues) are loaded only for text or a failure: `resolve --json` of a
  // working name prints JSON alone, and starts faster without them (BENCHMARKS.md, cli-startup).
  if (flags.json) io.stdout(terminalJson(resolveJson(result, flags.trace === true), 2) + '\n');
  else if (!invalidName) {
    const { resolveText } = await import('../render-resolve.js');
    io.stdout(resolveText(result, flags.trace === true, { locale: flags.locale }));
  }
  // The reason in the chosen language (English: the resolver's message); the JSON above keeps the English one.
  if (result.error !== null && result.targets.length === 0) {
    const { describeResolutionError } = await import('../../resolver/describe.js');
    printError(io, result.error.code, describeResolutionError(result, flags.locale) ?? result.error.message);
  }
  setExit(invalidName ? EXIT.usage : result.targets.length > 0 ? EXIT.ok : EXIT.failure);
}
