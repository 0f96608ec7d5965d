// Change detection (pure): alerts after the threshold, one recovery, one expiry warning per certificate, changes while it works.

import { describe, expect, it } from 'vitest';
import { advanceState, compareBaselines, initialState } from '../../src/monitor/index.js';
import type { NameState, Notification, Observation, TransitionContext } from '../../src/monitor/index.js';

const DAY = 86_400_000;
const T0 = Date.parse('2030-01-01T00:00:00Z');

function observation(ok: boolean, at: number, extra: Partial<Observation> = {}): Observation {
  return {
    ok,
    checkedAt: at,
    durationMs: 120,
    summary: ok ? 'Federation works.' : 'Federation does not work.',
    hints: ok ? [] : [{ id: 'tls-name-mismatch', severity: 'error', title: 'The certificate does not name the host' }],
    addressesOk: ok ? 1 : 0,
    addressesFailed: ok ? 0 : 1,
    certificateExpiresAt: at + 90 * DAY,
    certificates: ['fingerprint-a'],
    delegation: ['matrix.example.org:443'],
    wellKnownDelegated: true,
    serverVersion: { name: 'Synapse', version: '1.140.0' },
    ...extra,
  };
}

let ids = 0;
const context = (failuresBeforeAlert = 2, certificateWarningDays = 14): TransitionContext => ({
  settings: { failuresBeforeAlert, certificateWarningDays },
  channels: ['webhook', 'matrix'],
  newId: () => `n${++ids}`,
});

/** Runs checks in order from a fresh state; returns every notification made, and the final state. */
function run(
  checks: readonly Observation[],
  ctx: TransitionContext = context(),
): { notes: Notification[]; state: NameState } {
  let state = initialState('example.org');
  const notes: Notification[] = [];
  for (const o of checks) {
    const t = advanceState(state, o, ctx);
    notes.push(...t.notifications);
    state = t.state;
  }
  return { notes, state };
}

describe('advanceState', () => {
  it('a name that keeps working makes no notification', () => {
    const { notes } = run([0, 1, 2, 3, 4].map((i) => observation(true, T0 + i * 300_000)));
    expect(notes).toEqual([]);
  });

  it('alerts once after failures_before_alert failures in a row, then once more on recovery', () => {
    const checks = [true, false, false, false, false, true, true].map((ok, i) => observation(ok, T0 + i * 300_000));
    const { notes, state } = run(checks);
    expect(notes.map((n) => [n.kind, n.state])).toEqual([
      ['failing', 'failing'],
      ['recovered', 'ok'],
    ]);
    // The alert came with the second failure (the threshold is 2), and named the count.
    expect(notes[0]?.consecutiveFailures).toBe(2);
    expect(notes[0]?.createdAt).toBe(T0 + 2 * 300_000);
    expect(state).toMatchObject({ consecutiveFailures: 0, alerting: false });
    // Queued for each configured channel.
    expect(state.pending.map((p) => Object.keys(p.channels).sort())).toEqual([
      ['matrix', 'webhook'],
      ['matrix', 'webhook'],
    ]);
  });

  it('fewer failures than the threshold end silently', () => {
    const checks = [true, false, false, true, false, true].map((ok, i) => observation(ok, T0 + i * 300_000));
    expect(run(checks, context(3)).notes).toEqual([]);
  });

  it('failures_before_alert: 1 alerts on the first failure', () => {
    expect(run([observation(false, T0)], context(1)).notes.map((n) => n.kind)).toEqual(['failing']);
  });

  it('warns once per certificate end that comes within certificate_warning_days, and again for a later one', () => {
    const soon = (at: number, end: number): Observation => observation(true, at, { certificateExpiresAt: end });
    const end1 = T0 + 10 * DAY;
    const end2 = T0 + 100 * DAY + 5 * DAY;
    const { notes } = run([
      soon(T0, end1),
      soon(T0 + DAY, end1),
      soon(T0 + 2 * DAY, end1),
      // renewed for 90 days: no warning, and the next end near its time warns again
      soon(T0 + 3 * DAY, end2),
      soon(T0 + 100 * DAY, end2),
      soon(T0 + 101 * DAY, end2),
    ]);
    expect(notes.map((n) => [n.kind, n.certificateExpiresAt])).toEqual([
      ['certificate-expiring', end1],
      ['certificate-expiring', end2],
    ]);
  });

  it('certificate_warning_days: 0 turns the warning off', () => {
    expect(run([observation(true, T0, { certificateExpiresAt: T0 + DAY })], context(2, 0)).notes).toEqual([]);
  });

  it('tells of a new certificate, delegation or version while federation works, and not while it fails', () => {
    const { notes } = run([
      observation(true, T0),
      observation(true, T0 + 1, { certificates: ['fingerprint-b'] }),
      observation(true, T0 + 2, {
        certificates: ['fingerprint-b'],
        serverVersion: { name: 'Synapse', version: '1.141.0' },
      }),
      observation(false, T0 + 3, { certificates: ['fingerprint-c'], delegation: ['other.example.org:8448'] }),
    ]);
    expect(notes.map((n) => [n.kind, n.changes.map((c) => c.what)])).toEqual([
      ['changed', ['certificate']],
      ['changed', ['server-version']],
    ]);
    expect(notes[1]?.changes[0]).toEqual({ what: 'server-version', from: 'Synapse 1.140.0', to: 'Synapse 1.141.0' });
  });

  it('a recovery on another delegation carries the change instead of a second notification', () => {
    const { notes } = run([
      observation(true, T0),
      observation(false, T0 + 1),
      observation(false, T0 + 2),
      observation(true, T0 + 3, { delegation: ['new.example.org:443'] }),
    ]);
    expect(notes.map((n) => n.kind)).toEqual(['failing', 'recovered']);
    expect(notes[1]?.changes).toEqual([
      { what: 'delegation', from: 'matrix.example.org:443', to: 'new.example.org:443' },
    ]);
  });

  it('without channels nothing is queued, and the state still moves', () => {
    const ctx: TransitionContext = { ...context(1), channels: [] };
    const t = advanceState(initialState('example.org'), observation(false, T0), ctx);
    expect(t.notifications.map((n) => n.kind)).toEqual(['failing']);
    expect(t.state.pending).toEqual([]);
    expect(t.state.alerting).toBe(true);
  });
});

describe('compareBaselines', () => {
  it('ignores a version that could not be read', () => {
    expect(
      compareBaselines(
        { certificates: ['a'], delegation: ['x:443'], serverVersion: 'Synapse 1' },
        { certificates: ['a'], delegation: ['x:443'], serverVersion: null },
      ),
    ).toEqual([]);
  });
});
