// Soak case 5: `check --from` over 10,000 names in a child process, its resident memory sampled every second.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnCli } from './processes.js';
import { formatCount } from './report.js';
import type { SoakCaseResult, SoakRow } from './report.js';
import { formatMib, sampleRss } from './rss.js';
import { startTesterLab } from './tester-abuse.js';

/** Settings of the batch case. */
export interface BatchSettings {
  /** Names in all; the mix is fixed in proportions (see {@link batchNames}). */
  readonly names: number;
  readonly concurrency: number;
  /** Output lines before the memory baseline is taken (warm-up). */
  readonly warmUpLines: number;
  /** Largest accepted RSS growth from the baseline to the end, in MiB. */
  readonly maxGrowthMib: number;
}

/** The soak's settings. */
export const BATCH_DEFAULTS: BatchSettings = { names: 10_000, concurrency: 32, warmUpLines: 1000, maxGrowthMib: 30 };

const NAME = '5. batch';

/** The kinds of names in the list, and what the check must say about each. */
type NameKind = 'works' | 'nxdomain' | 'invalid' | 'private';

/** Invalid server names, each breaking the grammar differently (spec appendix "Server Name"). */
const INVALID_FORMS = [
  'bad_name-N.example',
  'N..example.org',
  '-N.example.org',
  'exa mple-N.org',
  'N.example.org:99999',
  '[::1-N]',
  'N.example.org:',
  `${'a'.repeat(64)}-N.example.org`,
];

/**
 * The list, per 50 names: 30 that do not exist (NXDOMAIN from the lab DNS server: a full resolution each, well-known
 * included), 18 invalid (refused before any network, but a report all the same), 1 of a working lab homeserver (a
 * full check: TLS, version, keys) and 1 whose address is loopback and not allowed (refused before connecting).
 * Interleaved, so that memory is measured over the same mix all along. The mix keeps the run near two minutes on
 * two busy cores; a full check of a working server costs about ten times a name that does not exist.
 */
export function batchNames(total: number): { readonly name: string; readonly kind: NameKind }[] {
  const out: { name: string; kind: NameKind }[] = [];
  let works = 0;
  let trap = 0;
  for (let i = 0; i < total; i++) {
    const slot = i % 50;
    if (slot === 0) out.push({ name: `ok-${works++}.example.org`, kind: 'works' });
    else if (slot === 25) out.push({ name: `trap-${trap++}.example.org`, kind: 'private' });
    else if (slot % 8 < 3)
      out.push({ name: INVALID_FORMS[i % INVALID_FORMS.length]!.replace('N', String(i)), kind: 'invalid' });
    else out.push({ name: `nx-${i}.example.org`, kind: 'nxdomain' });
  }
  return out;
}

/** Runs the case. */
export async function runBatchCase(
  log: (line: string) => void,
  settings: BatchSettings = BATCH_DEFAULTS,
): Promise<SoakCaseResult> {
  const started = performance.now();
  const rows: SoakRow[] = [];
  const notes: string[] = [];
  const names = batchNames(settings.names);
  const kinds = new Map(names.map((n) => [n.name, n.kind]));
  const countOf = (kind: NameKind): number => names.filter((n) => n.kind === kind).length;
  const testerLab = await startTesterLab({
    capNames: 0,
    slowMs: 0,
    goodNames: countOf('works'),
    trapNames: countOf('private'),
  });
  const dir = mkdtempSync(join(tmpdir(), 'md-soak-batch-'));
  try {
    const listPath = join(dir, 'names.txt');
    writeFileSync(listPath, `# soak: ${names.length} names\n${names.map((n) => n.name).join('\n')}\n`);
    const caPath = join(dir, 'ca.pem');
    writeFileSync(caPath, testerLab.lab.caCertPem);
    const lab = testerLab.lab;
    const args = [
      'check',
      '--from',
      listPath,
      '--concurrency',
      String(settings.concurrency),
      '--dns-server',
      lab.dns.server,
      '--allow-network',
      `${lab.address('good')}/32`,
      '--ca-file',
      caPath,
      '--well-known-port',
      String(lab.ports.https),
      '--federation-port',
      String(lab.ports.federation),
      '--timeout-ms',
      '30000',
    ];
    let lines = 0;
    let pending = '';
    const wrong: string[] = [];
    let wrongCount = 0;
    let errorLines = 0;
    const seen = new Set<string>();
    let sampler: ReturnType<typeof sampleRss> | null = null;
    let baselineMarked = false;
    const judge = (line: string): void => {
      lines++;
      let doc: { serverName?: string; federationOk?: boolean; error?: { code?: string } };
      try {
        doc = JSON.parse(line) as typeof doc;
      } catch {
        wrongCount++;
        if (wrong.length < 5) wrong.push(`not JSON: ${line.slice(0, 60)}`);
        return;
      }
      const kind = kinds.get(doc.serverName ?? '');
      if (doc.error !== undefined) errorLines++;
      seen.add(doc.serverName ?? '');
      const right =
        kind === 'works'
          ? doc.federationOk === true
          : kind === 'private'
            ? doc.federationOk === false && line.includes('"ADDRESS_DENIED"')
            : kind !== undefined && doc.federationOk === false;
      if (!right || doc.error !== undefined) {
        wrongCount++;
        if (wrong.length < 5)
          wrong.push(
            `${doc.serverName} (${kind}): federationOk ${doc.federationOk}${doc.error ? ` ${doc.error.code}` : ''}`,
          );
      }
      if (!baselineMarked && lines >= settings.warmUpLines && sampler !== null) {
        sampler.markBaseline();
        baselineMarked = true;
      }
      if (lines % 1000 === 0) log(`${formatCount(lines)} names checked`);
    };
    const batchStarted = performance.now();
    const child = spawnCli(args, {
      onStdout: (chunk) => {
        pending += chunk.toString('utf8');
        let nl = pending.indexOf('\n');
        while (nl !== -1) {
          judge(pending.slice(0, nl));
          pending = pending.slice(nl + 1);
          nl = pending.indexOf('\n');
        }
      },
    });
    sampler = sampleRss(child.pid);
    log(`check --from ${formatCount(names.length)} names, pid ${child.pid}, concurrency ${settings.concurrency}`);
    // Samples stop being taken once the process has exited; the last one is from its final second.
    const { code } = await child.exited;
    const batchS = (performance.now() - batchStarted) / 1000;
    const rss = sampler.stop();
    const summary = /checked .*$/m.exec(child.stderr())?.[0] ?? child.stderr().slice(-200);
    const traps = testerLab.trapContacts();
    const mix = `${formatCount(countOf('nxdomain'))} that do not exist, ${formatCount(countOf('invalid'))} invalid, ${formatCount(countOf('works'))} of a working lab homeserver, ${formatCount(countOf('private'))} whose address is not allowed`;
    rows.push({
      case: NAME,
      sent: `check --from a list of ${mix}; concurrency ${settings.concurrency}`,
      count: `${formatCount(names.length)} names`,
      durationS: batchS,
      outcome: `exit ${code} (names that fail are expected), ${formatCount(lines)} lines for ${formatCount(seen.size)} names, ${wrongCount} wrong verdicts, ${errorLines} errors; "${summary.trim()}"; trap servers saw ${traps.connections} connections${wrong.length ? ` (${wrong.join('; ')})` : ''}`,
      pass:
        code === 1 &&
        lines === names.length &&
        seen.size === names.length &&
        wrongCount === 0 &&
        traps.connections === 0,
    });
    rows.push({
      case: NAME,
      sent: `resident memory of the check process, sampled every second, baseline after ${formatCount(settings.warmUpLines)} names`,
      count: `${rss.counted} samples`,
      durationS: batchS,
      outcome:
        `start ${formatMib(rss.startKib)}, peak ${formatMib(rss.peakKib)}, end ${formatMib(rss.endKib)}; ` +
        `lowest in the first third ${formatMib(rss.firstFloorKib)}, in the last third ${formatMib(rss.lastFloorKib)}: floor growth ${formatMib(rss.floorGrowthKib)} (bound ${settings.maxGrowthMib} MiB)`,
      pass: baselineMarked && rss.counted >= 6 && rss.floorGrowthKib < settings.maxGrowthMib * 1024,
    });
    const namesApart = Math.round(((names.length - settings.warmUpLines) * 2) / 3);
    notes.push(
      `The list: ${mix}, interleaved (per 50 names: 1 works, 1 is private, 18 are invalid, 30 do not exist). Invalid forms: ${INVALID_FORMS.map((f) => `\`${f}\``).join(', ')} (N replaced by a number).`,
      'Memory: the check process allocates fast (a report per name), so its RSS is a sawtooth between garbage collections; ' +
        `here it swung between ${formatMib(rss.lowKib)} and ${formatMib(rss.peakKib)}. ` +
        'Two single samples (start, end) fall anywhere on the teeth, so the pass criterion is the floor: the lowest RSS of the last third of the run must not be more than the bound above the lowest of the first third. ' +
        `Those thirds are about ${formatCount(namesApart)} names apart, so a leak of ${((settings.maxGrowthMib * 1024) / namesApart).toFixed(1)} KiB per name would fail it.`,
      'Every output line is parsed and judged: a working name must say federationOk true, a private one false with ADDRESS_DENIED, the others false; an error line (a check over its budget) is wrong.',
    );
  } catch (error) {
    rows.push({
      case: NAME,
      sent: 'the case itself',
      count: '-',
      durationS: (performance.now() - started) / 1000,
      outcome: `error: ${(error as Error).message}`,
      pass: false,
    });
  } finally {
    await testerLab.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: NAME, rows, notes, durationS: (performance.now() - started) / 1000 };
}
