// The client settings check has one source for its problem sentences: the check's messages (src/checker/
// client-settings/messages.ts) are the catalogue's English (src/check-report/client-setting-problem-texts.ts), and the
// diagnosis reads the report's sentences back with that same object (CONTRIBUTING "Languages").

import { describe, expect, it } from 'vitest';
import * as catalogue from '../../src/check-report/client-setting-problem-texts.js';
import { CLIENT_SETTING_MESSAGES as M } from '../../src/checker/client-settings/messages.js';
import * as reader from '../../src/diagnosis/rules/client-settings-texts.js';
import { checkTranslations } from '../../src/i18n/index.js';
import { examplesOf, spacingFaults } from './catalogue-examples.js';

const en = catalogue.CLIENT_SETTING_PROBLEM_TEXTS.en;
type Form = keyof typeof en;

/** The forms one writer chooses between (the number of keys, whether a field is missing), with that writer's call. */
const CHOSEN: Readonly<Partial<Record<Form, { written: string; expected: string }>>> = {
  unknownOne: {
    written: M.unknownKeys({ keys: '"org.example.a"', count: 1, notNamespaced: '' }),
    expected: en.unknownOne({ keys: '"org.example.a"' }),
  },
  unknownOneNamespace: {
    written: M.unknownKeys({ keys: '"colour"', count: 1, notNamespaced: '"colour"' }),
    expected: en.unknownOneNamespace({ keys: '"colour"', notNamespaced: '"colour"' }),
  },
  unknownMany: {
    written: M.unknownKeys({ keys: '"org.example.a" and "org.example.b"', count: 2, notNamespaced: '' }),
    expected: en.unknownMany({ count: '2', keys: '"org.example.a" and "org.example.b"' }),
  },
  unknownManyNamespace: {
    written: M.unknownKeys({ keys: '"a", "b" and 3 more', count: 5, notNamespaced: '"a" and "b"' }),
    expected: en.unknownManyNamespace({ count: '5', keys: '"a", "b" and 3 more', notNamespaced: '"a" and "b"' }),
  },
  fieldMissing: {
    written: M.fieldInvalid({
      field: 'im.vector.riot.jitsi.preferredDomain',
      got: '',
      expected: 'a host',
      missing: true,
    }),
    expected: en.fieldMissing({ field: 'im.vector.riot.jitsi.preferredDomain', expected: 'a host' }),
  },
  fieldInvalid: {
    written: M.fieldInvalid({
      field: 'io.element.e2ee.default',
      got: 'the string "x"',
      expected: 'true',
      missing: false,
    }),
    expected: en.fieldInvalid({ field: 'io.element.e2ee.default', got: 'the string "x"', expected: 'true' }),
  },
};

describe('client settings problems: one source for the check and the diagnosis', () => {
  it('the diagnosis reads back with the very catalogue the check writes with', () => {
    expect(reader.CLIENT_SETTING_PROBLEM_TEXTS.en).toBe(en);
    // Its Chinese is the catalogue's, but for the forms whose request failure it says in Chinese first.
    const own = Object.keys(en).filter(
      (key) =>
        reader.CLIENT_SETTING_PROBLEM_TEXTS['zh-CN'][key as Form] !==
        catalogue.CLIENT_SETTING_PROBLEM_TEXTS['zh-CN'][key as Form],
    );
    expect(own.sort()).toEqual(['issuerUnreachable', 'jitsiUnreachable', 'livekitUnreachable', 'tileServerBroken']);
  });

  it("every form of the catalogue is the check's message itself, or what the writer choosing it returns", () => {
    const messages: Readonly<Record<string, unknown>> = M;
    const notTheCatalogues = (Object.keys(en) as Form[]).filter(
      (form) => CHOSEN[form] === undefined && messages[form] !== en[form],
    );
    expect(notTheCatalogues).toEqual([]);
    for (const [form, call] of Object.entries(CHOSEN)) expect(call.written, form).toBe(call.expected);
    // Each chosen form is the one the reader finds in what the writer wrote (no two forms write one sentence).
    const code = (form: string): string =>
      form.startsWith('unknown') ? 'CLIENT_SETTING_UNKNOWN' : 'CLIENT_E2EE_INVALID';
    for (const [form, call] of Object.entries(CHOSEN))
      expect(reader.readClientSettingProblem(code(form), call.written)?.key, form).toBe(form);
  });

  it('the pieces of a value are the catalogue’s too (the diagnosis reads a failure out of them)', () => {
    for (const [name, piece] of Object.entries(catalogue.CLIENT_SETTING_PIECES))
      expect((M as Readonly<Record<string, unknown>>)[name], name).toBe(piece);
  });

  it('the catalogue is complete where it lives (every form in both languages, every value shown, the house spacing)', () => {
    const texts = catalogue.CLIENT_SETTING_PROBLEM_TEXTS;
    const examples = examplesOf(texts.en);
    expect(checkTranslations(texts, examples as never)).toEqual([]);
    const zh = texts['zh-CN'] as unknown as Record<string, (p: unknown) => string>;
    expect(Object.keys(zh).flatMap((key) => spacingFaults(zh[key]?.(examples[key]) ?? ''))).toEqual([]);
  });
});
