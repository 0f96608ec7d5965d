// The client and support document checks have one source for their problem sentences: the real checks, run over the
// lab, write every problem through the catalogue's `en` (src/check-report/document-problem-texts.ts), and the
// diagnosis reads them back with that same object (CONTRIBUTING "Languages": newer catalogues have one source).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catalogue from '../../src/check-report/document-problem-texts.js';
import type { ClientDocumentReport, SupportDocumentReport } from '../../src/check-report/index.js';
import { checkClientDocument, type DocumentCheckOptions } from '../../src/checker/client-document.js';
import { checkSupportDocument } from '../../src/checker/support-document.js';
import { createDnsClient } from '../../src/dns/index.js';
import * as reader from '../../src/diagnosis/rules/document-problems-texts.js';
import { checkTranslations, type Catalogue } from '../../src/i18n/index.js';
import { examplesOf } from './catalogue-examples.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { startLab, type Lab, type LabRequest, type LabResponse } from '../../src/testing/index.js';

let lab: Lab;

function hostOf(req: LabRequest): string {
  return (req.host ?? '').replace(/:\d+$/, '');
}

function base(name: string): string {
  return lab.ports.https === 443 ? `https://${name}` : `https://${name}:${lab.ports.https}`;
}

/** Client documents with one mistake each (the forms of the flow's steps, the base URLs', the identity server's). */
function clientDocumentFor(host: string): LabResponse {
  const hs = { base_url: base('hs.test') };
  switch (host) {
    case 'c-absent.test':
      return { status: 404, body: 'not here' };
    case 'c-array.test':
      return { json: [1, 2] };
    case 'c-nohs.test':
      return { json: { 'org.example.x': 1 } };
    case 'c-basenum.test':
      return { json: { 'm.homeserver': { base_url: 5 } } };
    case 'c-badurl.test':
      return { json: { 'm.homeserver': { base_url: 'matrix dot example' } } };
    case 'c-hsdown.test':
      return { json: { 'm.homeserver': { base_url: base('nowhere.test') } } };
    case 'c-notjson.test':
      return { json: { 'm.homeserver': { base_url: base('notjson.test') } } };
    case 'c-ishttp.test':
      return { json: { 'm.homeserver': hs, 'm.identity_server': { base_url: 'http://is.test' } } };
    case 'c-isdown.test':
      return { json: { 'm.homeserver': hs, 'm.identity_server': { base_url: base('nowhere.test') } } };
    default:
      // Served without a Content-Type: a warning of its own.
      return { body: JSON.stringify({ 'm.homeserver': hs }) };
  }
}

const CONTACTS = [
  'admin@example.org',
  { role: 5, matrix_id: '@admin:example.org' },
  { role: 'Abuse Team', matrix_id: '@admin' },
  { role: 'm.role.admin', matrix_id: '@admin:bad_name!' },
  { role: 'm.role.admin', email_address: 'admin-at-example.org' },
  { role: 'abuse', email_address: 'abuse@example.org' },
];

function supportDocumentFor(host: string): LabResponse {
  switch (host) {
    case 's-array.test':
      return { json: [] };
    case 's-pageurl.test':
      return { json: { support_page: 'help desk' } };
    case 's-empty.test':
      return { body: '', headers: { 'content-type': 'application/json' } };
    default:
      return { json: { contacts: CONTACTS } };
  }
}

const CLIENT_NAMES = [
  'c-absent.test',
  'c-array.test',
  'c-nohs.test',
  'c-basenum.test',
  'c-badurl.test',
  'c-hsdown.test',
  'c-notjson.test',
  'c-ishttp.test',
  'c-isdown.test',
  'c-notype.test',
];
const SUPPORT_NAMES = ['s-array.test', 's-pageurl.test', 's-empty.test', 's-contacts.test'];

/** Every sentence a catalogue's `en` returned while the checks ran, with the messages that returned it. */
const written = new Map<string, Set<string>>();
const restore: (() => void)[] = [];

/**
 * Watches every message of `en` in place (a function called, a string read): each still gives its own English, and
 * the sentence is noted. The checks reach the messages through this very object or not at all.
 */
function watch(family: string, en: Catalogue): void {
  for (const key of Object.keys(en)) {
    const original = Object.getOwnPropertyDescriptor(en, key);
    const message = en[key];
    if (original === undefined || message === undefined) continue;
    const note = (sentence: string): string => {
      const keys = written.get(sentence) ?? new Set<string>();
      keys.add(`${family}.${key}`);
      written.set(sentence, keys);
      return sentence;
    };
    Object.defineProperty(en, key, {
      configurable: true,
      enumerable: true,
      get: () =>
        typeof message === 'string' ? note(message) : (...args: Parameters<typeof message>) => note(message(...args)),
    });
    restore.push(() => Object.defineProperty(en, key, original));
  }
}

const clientReports: ClientDocumentReport[] = [];
const supportReports: SupportDocumentReport[] = [];

beforeAll(async () => {
  lab = await startLab({
    zones: {
      ...Object.fromEntries([...CLIENT_NAMES, ...SUPPORT_NAMES].map((name) => [name, { A: ['web'] }])),
      'hs.test': { A: ['hs'] },
      'notjson.test': { A: ['hs'] },
    },
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/client': (req) => clientDocumentFor(hostOf(req)),
          'GET /.well-known/matrix/support': (req) => supportDocumentFor(hostOf(req)),
        },
      },
      hs: {
        routes: {
          'GET /_matrix/client/versions': (req) =>
            hostOf(req) === 'notjson.test'
              ? { body: 'it works', headers: { 'content-type': 'text/plain' } }
              : { json: { versions: ['v1.11'] } },
        },
      },
    },
  });
  const lo = lab.clientOptions();
  const options: DocumentCheckOptions = {
    dns: createDnsClient({ servers: lo.dnsServers }),
    policy: createAddressPolicy({
      allowNetworks: Object.values(lab.hosts).map((h) => `${h.address}/${h.address.includes(':') ? 128 : 32}`),
    }),
    port: lab.ports.https,
    ca: lo.ca,
    timeoutMs: 3_000,
  };
  watch('client', catalogue.CLIENT_PROBLEM_TEXTS.en);
  watch('support', catalogue.SUPPORT_PROBLEM_TEXTS.en);
  try {
    for (const name of CLIENT_NAMES) clientReports.push(await checkClientDocument(name, options));
    for (const name of SUPPORT_NAMES) supportReports.push(await checkSupportDocument(name, options));
  } finally {
    for (const undo of restore) undo();
  }
}, 60_000);

afterAll(async () => {
  await lab?.close();
});

describe('document problems: one source for the checks and the diagnosis', () => {
  it('the diagnosis reads back with the catalogue the checks write with (the same objects, no copy)', () => {
    expect(reader.CLIENT_PROBLEM_TEXTS).toBe(catalogue.CLIENT_PROBLEM_TEXTS);
    expect(reader.SUPPORT_PROBLEM_TEXTS).toBe(catalogue.SUPPORT_PROBLEM_TEXTS);
  });

  it('the client check writes every problem through the catalogue, and the reader finds the message that wrote it', () => {
    const problems = clientReports.flatMap((r) => r.problems);
    expect(problems.length).toBeGreaterThanOrEqual(CLIENT_NAMES.length);
    for (const p of problems) {
      expect(written.get(p.message), `${p.code}: ${p.message}`).toBeDefined();
      const read = reader.readClientProblem(p.code, p.message);
      expect([...(written.get(p.message) ?? [])], p.message).toContain(`client.${read?.key ?? '?'}`);
    }
    // The identity server's sentence adds the spec's stop to the base URL's: written as the identity form.
    const identity = problems.filter((p) => p.code.startsWith('CLIENT_IDENTITY_')).map((p) => p.message);
    expect(identity.map((m) => [...(written.get(m) ?? [])].some((k) => k.startsWith('client.identity')))).toEqual(
      identity.map(() => true),
    );
    expect(identity.length).toBeGreaterThanOrEqual(2);
  });

  it('the support check writes every problem through the catalogue, and the reader finds the message that wrote it', () => {
    const problems = supportReports.flatMap((r) => r.problems);
    expect(problems.length).toBeGreaterThanOrEqual(CONTACTS.length + 3);
    for (const p of problems) {
      expect(written.get(p.message), `${p.code}: ${p.message}`).toBeDefined();
      const read = reader.readSupportProblem(p.code, p.message);
      expect([...(written.get(p.message) ?? [])], p.message).toContain(`support.${read?.key ?? '?'}`);
    }
  });

  it('the catalogues are complete where they live (every form in both languages, every value shown)', () => {
    const client = catalogue.CLIENT_PROBLEM_TEXTS;
    const support = catalogue.SUPPORT_PROBLEM_TEXTS;
    expect(checkTranslations(client, examplesOf(client.en) as never)).toEqual([]);
    expect(checkTranslations(support, examplesOf(support.en) as never)).toEqual([]);
  });
});
