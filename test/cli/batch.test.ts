// The batch machinery without network (name lines, streamed reading, budget, concurrency, progress) and the colour rule.

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useColor } from '../../src/cli/commands/check-flags.js';
import type { CliIo } from '../../src/cli/io.js';
import { checkWithBudget, formatBatchSummary, parseNameLine, readLines, runBatch } from '../../src/cli/batch.js';
import type { CheckFunction } from '../../src/cli/batch.js';
import { createProgress, formatProgress } from '../../src/cli/progress.js';
import type { CheckReport } from '../../src/checker/types.js';
import { MatrixDelegationError } from '../../src/errors.js';
import { fixtureReport } from '../report/report-fixture.js';

async function collect(input: Readable): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(input)) out.push(line);
  return out;
}

const silent = createProgress({ write: () => undefined, enabled: false, total: null });

function report(serverName: string, federationOk: boolean): CheckReport {
  return fixtureReport({ serverName, federationOk });
}

describe('parseNameLine', () => {
  it.each([
    ['example.org', 'example.org'],
    ['  example.org:8448 \t', 'example.org:8448'],
    ['example.org # the main one', 'example.org'],
    ['# a comment', null],
    ['   # an indented comment', null],
    ['', null],
    ['   ', null],
    // Kept as written: the check reports it as an invalid name.
    ['exa mple.org', 'exa mple.org'],
  ])('%j -> %j', (line, expected) => {
    expect(parseNameLine(line)).toBe(expected);
  });
});

describe('readLines', () => {
  it('splits across chunk boundaries, handles CRLF and a last line without a newline', async () => {
    const input = Readable.from([Buffer.from('a.org\r\nb.o'), Buffer.from('rg\n\nc.org')]);
    expect(await collect(input)).toEqual(['a.org', 'b.org', '', 'c.org']);
  });

  it('decodes a UTF-8 character split between chunks', async () => {
    const bytes = Buffer.from('é.org\n');
    expect(await collect(Readable.from([bytes.subarray(0, 1), bytes.subarray(1)]))).toEqual(['é.org']);
  });

  it('cuts an endless line instead of holding it all (the next line still comes through)', async () => {
    const chunks = [...Array.from({ length: 50 }, () => 'x'.repeat(1000)), '\nnext.org\n'];
    const lines = await collect(Readable.from(chunks));
    expect(lines).toHaveLength(2);
    expect(lines[0]!.length).toBeLessThanOrEqual(4096);
    expect(lines[1]).toBe('next.org');
  });
});

describe('checkWithBudget', () => {
  it('returns the report of a check that finishes in time', async () => {
    const outcome = await checkWithBudget('a.org', (name) => Promise.resolve(report(name, true)), 1000);
    expect(outcome.kind).toBe('report');
  });

  it('gives TIMEOUT at the budget for a check that never ends, and aborts its signal', async () => {
    let seen: AbortSignal | undefined;
    const started = Date.now();
    const outcome = await checkWithBudget(
      'slow.org',
      (_name, signal) => {
        seen = signal;
        return new Promise<CheckReport>(() => undefined);
      },
      100,
    );
    expect(outcome).toMatchObject({ kind: 'error', code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(seen?.aborted).toBe(true);
  });

  it('maps a thrown library error to its code, anything else to INTERNAL', async () => {
    const coded = await checkWithBudget(
      'a.org',
      () => Promise.reject(new MatrixDelegationError('DNS_SERVFAIL', 'boom')),
      1000,
    );
    expect(coded).toMatchObject({ kind: 'error', code: 'DNS_SERVFAIL' });
    const other = await checkWithBudget('a.org', () => Promise.reject(new TypeError('bug')), 1000);
    expect(other).toMatchObject({ kind: 'error', code: 'INTERNAL', message: 'bug' });
  });
});

describe('runBatch', () => {
  it('never runs more than `concurrency` checks at once, and writes one line per name in completion order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    // Earlier names take longer, so completion order differs from input order.
    const delays: Record<string, number> = { 'a.org': 80, 'b.org': 10, 'c.org': 40, 'd.org': 10, 'e.org': 10 };
    const check: CheckFunction = async (name) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, delays[name]));
      inFlight -= 1;
      return report(name, name !== 'c.org');
    };
    const out: string[] = [];
    const summary = await runBatch({
      input: Readable.from(['# list\n', 'a.org\nb.org\n', 'c.org\nd.org\ne.org\n']),
      concurrency: 2,
      budgetMs: 5000,
      format: 'json',
      check,
      writeLine: (line) => out.push(line),
      progress: silent,
    });
    expect(maxInFlight).toBe(2);
    const names = out.map((l) => (JSON.parse(l) as { serverName: string }).serverName);
    expect(names.sort()).toEqual(['a.org', 'b.org', 'c.org', 'd.org', 'e.org']);
    expect(out.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    // b finishes before a (input order would put a first).
    const order = out.map((l) => (JSON.parse(l) as { serverName: string }).serverName);
    expect(order.indexOf('b.org')).toBeLessThan(order.indexOf('a.org'));
    expect(summary).toMatchObject({ checked: 5, ok: 4, failing: 1, errors: 0 });
  });

  it('reads input only as fast as checks free up (a long list is not read ahead)', async () => {
    let pulled = 0;
    function* names(): Generator<string> {
      for (let i = 0; i < 200; i += 1) {
        pulled += 1;
        yield `n${i}.org\n`;
      }
    }
    let checksStarted = 0;
    let pulledAtFirstCheck = -1;
    const check: CheckFunction = async (name) => {
      checksStarted += 1;
      if (checksStarted === 3) pulledAtFirstCheck = pulled;
      await new Promise((r) => setTimeout(r, 1));
      return report(name, true);
    };
    await runBatch({
      input: Readable.from(names(), { objectMode: true, highWaterMark: 1 }),
      concurrency: 2,
      budgetMs: 5000,
      format: 'json',
      check,
      writeLine: () => undefined,
      progress: silent,
    });
    expect(checksStarted).toBe(200);
    // When the third check starts, only a handful of lines have been read, not the whole list.
    expect(pulledAtFirstCheck).toBeLessThan(20);
  });

  it('federation-tester lines carry ServerName; error lines say FederationOK false with the error', async () => {
    const out: string[] = [];
    const check: CheckFunction = (name) =>
      name === 'never.org' ? new Promise<CheckReport>(() => undefined) : Promise.resolve(report(name, true));
    const summary = await runBatch({
      input: Readable.from(['ok.org\nnever.org\n']),
      concurrency: 4,
      budgetMs: 100,
      format: 'federation-tester',
      check,
      writeLine: (line) => out.push(line),
      progress: silent,
    });
    const docs = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(docs.find((d) => d['ServerName'] === 'ok.org')).toMatchObject({ FederationOK: true });
    const never = docs.find((d) => d['ServerName'] === 'never.org');
    expect(never).toMatchObject({ FederationOK: false });
    expect(never?.['Error']).toMatch(/^TIMEOUT: /);
    expect(summary).toMatchObject({ checked: 2, ok: 1, failing: 0, errors: 1 });
  });
});

describe('progress', () => {
  it('formats a bar when the total is known, a count when not', () => {
    const counts = { done: 2, ok: 1, failing: 1, errors: 0, running: 2 };
    expect(formatProgress(counts, 4, 1500, 10)).toBe('[#####-----] 2/4  ok 1  failing 1  errors 0  running 2  1.5 s');
    expect(formatProgress(counts, null, 1500)).toBe('checked 2  ok 1  failing 1  errors 0  running 2  1.5 s');
  });

  it('redraws in place, throttled, and writes nothing when disabled', () => {
    let t = 0;
    const written: string[] = [];
    const progress = createProgress({
      write: (s) => written.push(s),
      enabled: true,
      total: 3,
      now: () => t,
      minIntervalMs: 100,
    });
    const counts = { done: 0, ok: 0, failing: 0, errors: 0, running: 1 };
    progress.update(counts);
    t = 50;
    progress.update({ ...counts, done: 1 });
    expect(written).toHaveLength(1);
    t = 150;
    progress.update({ ...counts, done: 1 });
    expect(written).toHaveLength(2);
    expect(written.every((w) => w.startsWith('\r\x1b[2K'))).toBe(true);
    progress.clear();
    expect(written[2]).toBe('\r\x1b[2K');
    const none: string[] = [];
    const off = createProgress({ write: (s) => none.push(s), enabled: false, total: 3 });
    off.update(counts, true);
    off.clear();
    expect(none).toEqual([]);
  });

  it('formats the closing summary', () => {
    expect(formatBatchSummary({ checked: 5, ok: 3, failing: 1, errors: 1, durationMs: 1234 })).toBe(
      'checked 5 names in 1.23 s: 3 OK, 1 failing, 1 error\n',
    );
  });
});

describe('useColor', () => {
  const io = (env: Record<string, string>, stdout?: boolean): CliIo => ({
    stdout: () => undefined,
    stderr: () => undefined,
    env,
    ...(stdout === undefined ? {} : { isTTY: { stdout } }),
  });

  it('colours a terminal only, unless NO_COLOR is set (to anything but "")', () => {
    expect(useColor(undefined, io({}))).toBe(false);
    expect(useColor(undefined, io({}, false))).toBe(false);
    expect(useColor(undefined, io({}, true))).toBe(true);
    expect(useColor(undefined, io({ NO_COLOR: '1' }, true))).toBe(false);
    expect(useColor(undefined, io({ NO_COLOR: '' }, true))).toBe(true);
  });

  it('--color and --no-color win over both (no-color.org: flags override the variable)', () => {
    expect(useColor(true, io({ NO_COLOR: '1' }, false))).toBe(true);
    expect(useColor(false, io({}, true))).toBe(false);
  });
});
