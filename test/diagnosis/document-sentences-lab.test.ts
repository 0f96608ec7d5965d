// Every sentence form of the client and support document checks, written by the real checks over the lab, is read
// back by the hints' catalogues and said in Chinese with its values (issue 17): no form of the checks is unknown to
// the catalogue that says it again, none of the catalogue's forms is one the checks never write; and the checks write
// through the very catalogue the hints read with (one source, src/check-report/document-problem-texts.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientDocumentReport, SupportDocumentReport } from '../../src/check-report/index.js';
import { checkClientDocument, type DocumentCheckOptions } from '../../src/checker/client-document.js';
import { checkSupportDocument } from '../../src/checker/support-document.js';
import { createDnsClient } from '../../src/dns/index.js';
import {
  CLIENT_PROBLEM_TEXTS,
  SUPPORT_PROBLEM_TEXTS,
  readClientProblem,
  readSupportProblem,
} from '../../src/diagnosis/rules/document-problems-texts.js';
import { sayAgain } from '../../src/diagnosis/rules/read-back.js';
import * as catalogue from '../../src/check-report/document-problem-texts.js';
import * as reader from '../../src/diagnosis/rules/document-problems-texts.js';
import { checkTranslations, type Catalogue } from '../../src/i18n/index.js';
import { examplesOf } from '../i18n/catalogue-examples.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { startLab, type Lab, type LabRequest, type LabResponse } from '../../src/testing/index.js';

let lab: Lab;

function hostOf(req: LabRequest): string {
  return (req.host ?? '').replace(/:\d+$/, '');
}

/** `https://<name>` with the lab's HTTPS port when it is not 443. */
function base(name: string): string {
  return lab.ports.https === 443 ? `https://${name}` : `https://${name}:${lab.ports.https}`;
}

const GOOD_HS = (): { base_url: string } => ({ base_url: base('hs.test') });

/** The client document each name serves: one mistake each. */
function clientDocumentFor(host: string): LabResponse {
  switch (host) {
    case 'c-empty.test':
      return { body: '', headers: { 'content-type': 'application/json' } };
    case 'c-array.test':
      return { json: [1, 2] };
    case 'c-nohs.test':
      return { json: { 'im.vector.riot.jitsi': { preferredDomain: 'jitsi.example.org' } } };
    case 'c-basenum.test':
      return { json: { 'm.homeserver': { base_url: 5 } } };
    case 'c-hsstring.test':
      return { json: { 'm.homeserver': 'https://hs.test' } };
    case 'c-badurl.test':
      return { json: { 'm.homeserver': { base_url: 'matrix dot example' } } };
    case 'c-ftp.test':
      return { json: { 'm.homeserver': { base_url: 'ftp://hs.test' } } };
    case 'c-hsdown.test':
      return { json: { 'm.homeserver': { base_url: base('nowhere.test') } } };
    case 'c-notjson.test':
      return { json: { 'm.homeserver': { base_url: base('notjson.test') } } };
    case 'c-versionsarray.test':
      return { json: { 'm.homeserver': { base_url: base('versionsarray.test') } } };
    case 'c-noversions.test':
      return { json: { 'm.homeserver': { base_url: base('noversions.test') } } };
    case 'c-isnobase.test':
      return { json: { 'm.homeserver': GOOD_HS(), 'm.identity_server': {} } };
    case 'c-isstring.test':
      return { json: { 'm.homeserver': GOOD_HS(), 'm.identity_server': 'https://is.test' } };
    case 'c-isbadurl.test':
      return { json: { 'm.homeserver': GOOD_HS(), 'm.identity_server': { base_url: 'identity dot example' } } };
    case 'c-ishttp.test':
      return { json: { 'm.homeserver': GOOD_HS(), 'm.identity_server': { base_url: 'http://is.test' } } };
    case 'c-isftp.test':
      return { json: { 'm.homeserver': GOOD_HS(), 'm.identity_server': { base_url: 'ftp://is.test' } } };
    case 'c-isdown.test':
      return { json: { 'm.homeserver': GOOD_HS(), 'm.identity_server': { base_url: base('nowhere.test') } } };
    case 'c-notype.test':
      return { body: JSON.stringify({ 'm.homeserver': GOOD_HS() }) };
    default:
      return { json: { 'm.homeserver': GOOD_HS() } };
  }
}

/** The answer to the client document's CORS preflight. */
function preflightFor(host: string): LabResponse {
  switch (host) {
    case 'c-preflightreset.test':
      // The answer's head, then the connection cut in its body: no usable answer.
      return { status: 200, body: 'x'.repeat(4096), resetAfterBytes: 1 };
    case 'c-preflightpartial.test':
      return { status: 204, headers: { 'access-control-allow-origin': '*' } };
    default:
      return { status: 405 };
  }
}

/** Contacts with one mistake each (the support check reports each entry). */
const CONTACTS = [
  'admin@example.org',
  {},
  { role: 5, matrix_id: '@admin:example.org' },
  { role: 'm.role.abuse', matrix_id: 7, email_address: 8 },
  { role: 'Abuse Team', matrix_id: '@admin' },
  { role: 'm.role.admin', matrix_id: 'admin:example.org' },
  { role: 'm.role.admin', matrix_id: '@ad min:example.org' },
  { role: 'm.role.admin', matrix_id: '@admin:bad_name!' },
  { role: 'm.role.admin', email_address: 'admin-at-example.org' },
  { role: 'abuse', email_address: 'abuse@example.org' },
];

/** The support document each name serves. */
function supportDocumentFor(host: string): LabResponse {
  switch (host) {
    case 's-notype.test':
      return { body: JSON.stringify({ support_page: 'https://example.org/help' }) };
    case 's-empty.test':
      return { body: '', headers: { 'content-type': 'application/json' } };
    case 's-badjson.test':
      return { body: '{"contacts": [', headers: { 'content-type': 'application/json' } };
    case 's-array.test':
      return { json: [] };
    case 's-contactsobject.test':
      return { json: { contacts: {}, support_page: 'https://example.org/help' } };
    case 's-pageurl.test':
      return { json: { support_page: 'help desk' } };
    case 's-nocontacts.test':
      return { json: { contacts: [] } };
    case 's-contacts.test':
      return { json: { contacts: CONTACTS }, headers: { 'access-control-allow-origin': '*' } };
    default:
      return { json: { support_page: 'https://example.org/help' } };
  }
}

const CLIENT_NAMES = [
  'c-empty.test',
  'c-array.test',
  'c-nohs.test',
  'c-basenum.test',
  'c-hsstring.test',
  'c-badurl.test',
  'c-ftp.test',
  'c-hsdown.test',
  'c-notjson.test',
  'c-versionsarray.test',
  'c-noversions.test',
  'c-isnobase.test',
  'c-isstring.test',
  'c-isbadurl.test',
  'c-ishttp.test',
  'c-isftp.test',
  'c-isdown.test',
  'c-notype.test',
  'c-preflightreset.test',
  'c-preflightpartial.test',
];
const SUPPORT_NAMES = [
  's-notype.test',
  's-empty.test',
  's-badjson.test',
  's-array.test',
  's-contactsobject.test',
  's-pageurl.test',
  's-nocontacts.test',
  's-contacts.test',
];

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
      'versionsarray.test': { A: ['hs'] },
      'noversions.test': { A: ['hs'] },
    },
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/client': (req) => clientDocumentFor(hostOf(req)),
          'OPTIONS /.well-known/matrix/client': (req) => preflightFor(hostOf(req)),
          'GET /.well-known/matrix/support': (req) => supportDocumentFor(hostOf(req)),
        },
      },
      hs: {
        routes: {
          'GET /_matrix/client/versions': (req) => {
            switch (hostOf(req)) {
              case 'notjson.test':
                return { body: 'it works', headers: { 'content-type': 'text/plain' } };
              case 'versionsarray.test':
                return { json: ['v1.11'] };
              case 'noversions.test':
                return { json: { hello: 'world' } };
              default:
                return { json: { versions: ['v1.11', 'v1.12'] } };
            }
          },
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
  // One source (CONTRIBUTING "Languages"): the checks write through the very catalogue objects the hints read with.
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

/** Hosts, URLs and quoted values of an English sentence: what the Chinese one must show too. */
function values(text: string): string[] {
  const pattern = /https?:\/\/[^\s"',;)]+|"[^"]*"|\b[\w-]+(?:\.[\w-]{2,})+(?::\d+)?\b|\b\d{3,}\b/g;
  return [...new Set([...text.matchAll(pattern)].map((m) => m[0].replace(/[.:]$/, '')))];
}

const HAN = /\p{Script=Han}/u;

describe('the client check writes every form the catalogue reads, and the catalogue reads every sentence', () => {
  it('each sentence is read back, said in Chinese with its values', () => {
    const forms = new Set<string>();
    for (const report of clientReports) {
      for (const p of report.problems) {
        const read = readClientProblem(p.code, p.message);
        expect(read, `${report.url} ${p.code}: ${p.message}`).not.toBeNull();
        if (read === null) continue;
        forms.add(read.key);
        const chinese = sayAgain(CLIENT_PROBLEM_TEXTS, 'zh-CN', read);
        expect(chinese).toMatch(HAN);
        for (const value of values(p.message)) expect(chinese, `${p.message}: ${value}`).toContain(value);
      }
    }
    // The forms the diagnosis lab's scenarios write (not made again here) are the rest of the catalogue.
    const elsewhere = [
      'noBaseUrl',
      'notFound',
      'fetchFailed',
      'httpStatus',
      'bom',
      'html',
      'invalidJson',
      'baseUrlPlainHttp',
      'versionsStatus',
      'identityStatus',
      'contentType',
      'corsMissing',
      'corsBlocking',
      'preflightStatus',
    ];
    expect([...new Set([...forms, ...elsewhere])].sort()).toEqual(Object.keys(CLIENT_PROBLEM_TEXTS.en).sort());
  });
});

describe('the support check writes every form the catalogue reads, and the catalogue reads every sentence', () => {
  it('each sentence is read back, said in Chinese with its values', () => {
    const forms = new Set<string>();
    for (const report of supportReports) {
      for (const p of report.problems) {
        const read = readSupportProblem(p.code, p.message);
        expect(read, `${report.url} ${p.code}: ${p.message}`).not.toBeNull();
        if (read === null) continue;
        forms.add(read.key);
        const chinese = sayAgain(SUPPORT_PROBLEM_TEXTS, 'zh-CN', read);
        expect(chinese).toMatch(HAN);
        for (const value of values(p.message)) expect(chinese, `${p.message}: ${value}`).toContain(value);
      }
    }
    const elsewhere = [
      'fetchFailed',
      'httpStatus',
      'contentType',
      'corsMissing',
      'bom',
      'html',
      'tooMany',
      'pagePlainHttp',
      'emptyDocument',
      'pageNotString',
      'roleNotNamespaced',
      'matrixIdNoAt',
    ];
    expect([...new Set([...forms, ...elsewhere])].sort()).toEqual(Object.keys(SUPPORT_PROBLEM_TEXTS.en).sort());
  });
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
