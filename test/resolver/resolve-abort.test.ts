// A resolution stopped during its well-known fetch (its budget spent, or its caller gone) ends with a TIMEOUT result.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({
    zones: { 'slow.example.org': { A: ['web'] } },
    // The well-known answers after a minute: only the resolution's budget or its caller can end the wait.
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': () => ({ delayMs: 60_000, json: { 'm.server': 'matrix.example.org:443' } }),
        },
      },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

describe('a resolution stopped during the well-known fetch', () => {
  for (const overlap of [false, true]) {
    it(`reports TIMEOUT when its own budget runs out, never rejects (overlap ${String(overlap)})`, async () => {
      const started = performance.now();
      // Before the fix this rejected with the budget's plain Error (the CLI printed it as INTERNAL).
      const result = await resolveServerName('slow.example.org', { ...lab.clientOptions(), timeoutMs: 400, overlap });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(350);
      expect(elapsed).toBeLessThan(3_000);
      expect(result.error?.code).toBe('TIMEOUT');
      expect(result.error?.message).toContain('400 ms');
      expect(result.targets).toEqual([]);
      expect(result.wellKnown).toMatchObject({ status: 'error', code: 'TIMEOUT', mServer: null });
      const step3 = result.trace.filter((e) => e.step === '3');
      expect(step3.at(-1)).toMatchObject({ status: 'failed', code: 'TIMEOUT' });
      // Nothing after step 3 was tried: steps 4 to 6 are skipped, not failed for lack of time.
      for (const step of ['4', '5', '6'] as const) {
        expect(result.trace.filter((e) => e.step === step).map((e) => e.status)).toEqual(['skipped']);
      }
    });
  }

  it("reports TIMEOUT when the caller's signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the caller left')), 300);
    const started = performance.now();
    const result = await resolveServerName('slow.example.org', { ...lab.clientOptions(), signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(result.error).toEqual({ code: 'TIMEOUT', message: 'the well-known fetch was stopped: the caller left' });
  });
});
