// The DNS-panel SRV names (issue 16) asked in fewer questions (issue 19): a parent that does not exist answers for its names.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { srvMistakeNames } from '../../src/checker/srv-mistakes.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';

let lab: Lab;
const seed = generateEd25519Seed();

beforeAll(async () => {
  lab = await startLab({
    zones: {
      'plain.test': { A: ['fed'] },
      'panel.test': { A: ['fed'] },
      'fed.panel.test': { A: ['fed'] },
    },
    hosts: {
      fed: {
        port: 'federation',
        routes: {
          'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.0' } } },
          'GET /_matrix/key/v2/server': (request) => ({
            json: buildSignedKeyResponse({
              serverName: (request.host ?? '').replace(/:\d+$/, ''),
              keyId: 'ed25519:k',
              seed,
              validUntilTs: Date.now() + 86_400_000,
            }),
          }),
        },
      },
    },
  });
  // The zone written twice by a panel: the record is where no server looks.
  lab.dns.setName('_matrix-fed._tcp.panel.test.panel.test', {
    SRV: [{ priority: 10, weight: 5, port: lab.ports.federation, target: 'fed.panel.test' }],
  });
});

afterAll(async () => {
  await lab?.close();
});

/** The SRV questions the lab's DNS server received for names under `host` during `run`, but the resolution's two. */
async function srvQuestions(host: string, run: () => Promise<unknown>): Promise<string[]> {
  const before = lab.dns.queries.length;
  await run();
  const resolution = new Set([`_matrix-fed._tcp.${host}`, `_matrix._tcp.${host}`]);
  return lab.dns.queries
    .slice(before)
    .filter((q) => q.type === 'SRV' && q.name.endsWith(host) && !resolution.has(q.name))
    .map((q) => q.name)
    .sort();
}

describe('SRV records under DNS-panel mistake names', () => {
  it('none there: every name reported without records, in three questions instead of five (RFC 8020)', async () => {
    const names = srvMistakeNames('plain.test').map((m) => m.name);
    let report: Awaited<ReturnType<typeof checkServer>> | undefined;
    const asked = await srvQuestions('plain.test', async () => {
      report = await checkServer('plain.test', lab.clientOptions());
    });
    expect(report?.federationOk).toBe(true);
    // The report is what asking each name gives: every name, no records, no error.
    expect(report?.probes.srvMistakes?.map((p) => [p.name, p.records.length, p.error])).toEqual(
      names.map((name) => [name, 0, null]),
    );
    // `_tcp.plain.test` and `_tcp.plain.test.plain.test` do not exist: nothing below them does (RFC 8020, section 2),
    // so the two names under each are not asked; the UDP name has no sibling and is asked itself.
    expect(asked).toEqual(['_matrix-fed._udp.plain.test', '_tcp.plain.test', '_tcp.plain.test.plain.test']);
  });

  it('a record under the zone written twice: its parent exists, so the names under it are asked and the record found', async () => {
    let report: Awaited<ReturnType<typeof checkServer>> | undefined;
    const asked = await srvQuestions('panel.test', async () => {
      report = await checkServer('panel.test', lab.clientOptions());
    });
    const found = report?.probes.srvMistakes?.filter((p) => p.records.length > 0);
    expect(found?.map((p) => [p.name, p.records[0]?.target])).toEqual([
      ['_matrix-fed._tcp.panel.test.panel.test', 'fed.panel.test'],
    ]);
    expect(asked).toContain('_matrix-fed._tcp.panel.test.panel.test');
    expect(asked).toContain('_matrix._tcp.panel.test.panel.test');
    expect(report?.hints.map((h) => h.id)).toContain('srv-record-misnamed');
  });
});
