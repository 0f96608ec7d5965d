// Unit tests of the terminal escaping of remote text (issue 13, item 2) and of the bounds on remote strings (item 3).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeTerminalLines,
  escapeTerminalText,
  quoteTerminalText,
  terminalJson,
  terminalSafe,
} from '../../src/report/terminal-text.js';
import { boundRemoteStringList, boundRemoteStrings, boundRemoteText } from '../../src/remote-text.js';

/** What a terminal acts on or hides (the list): C0, DEL, C1, bidi overrides and isolates, format characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\u2028\u2029\ufeff]/;

describe('escapeTerminalText', () => {
  it.each([
    ['\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
    ['1.0\r\nPASS  Federation works.', '1.0\\r\\nPASS  Federation works.'],
    ['\x1b[2J', '\\x1b[2J'],
    ['a\u202egnp.exe', 'a\\u202egnp.exe'],
    ['\u2066x\u2069', '\\u2066x\\u2069'],
    ['\u009b31m', '\\x9b31m'],
    ['\x7f', '\\x7f'],
    ['tab\there', 'tab\\there'],
    ['zero\u200bwidth', 'zero\\u200bwidth'],
  ])('%j is shown as %s', (input, shown) => {
    expect(escapeTerminalText(input)).toBe(shown);
  });

  it('leaves printable text alone, non-ASCII included', () => {
    expect(escapeTerminalText('Synapse 1.140.0 — é ✓ 日本語')).toBe('Synapse 1.140.0 — é ✓ 日本語');
  });

  it('never leaves an unsafe character, and escaping twice changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const once = escapeTerminalText(text);
        expect(UNSAFE.test(once)).toBe(false);
        expect(escapeTerminalText(once)).toBe(once);
      }),
    );
  });

  it('escapeTerminalLines keeps line feeds only', () => {
    expect(escapeTerminalLines('a\nb\r\n\x1b[2J')).toBe('a\nb\\r\n\\x1b[2J');
    expect(quoteTerminalText('a"\x07')).toBe('"a"\\x07"');
  });
});

describe('terminalSafe', () => {
  it('escapes every string of a value, object keys included, and keeps the rest', () => {
    const input = {
      name: '\x1b]0;t\x07',
      list: ['\r', 3, null, true],
      nested: { ['k\x1b']: 'v\u202e' },
      ['__proto__']: 'x',
    };
    const safe = terminalSafe(JSON.parse(JSON.stringify(input)) as unknown);
    expect(safe).toEqual({
      name: '\\x1b]0;t\\x07',
      list: ['\\r', 3, null, true],
      nested: { 'k\\x1b': 'v\\u202e' },
      ['__proto__']: 'x',
    });
    expect(Object.getPrototypeOf(safe)).toBe(Object.prototype);
  });
});

describe('terminalJson', () => {
  it('is the same JSON value with C1 and format characters escaped too', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        const doc = { value, text };
        const out = terminalJson(doc, 2);
        expect(UNSAFE.test(out.replace(/\n/g, ''))).toBe(false);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(doc)));
      }),
    );
  });
});

describe('boundRemoteText', () => {
  it('keeps short strings and cuts long ones with the size sent', () => {
    expect(boundRemoteText('Synapse', 256)).toBe('Synapse');
    const cut = boundRemoteText('n'.repeat(500_000), 256);
    expect(cut.startsWith('n'.repeat(256))).toBe(true);
    expect(cut.slice(256)).not.toMatch(/^n/);
    expect(cut).toContain('500000 bytes');
    // Cutting what was already cut changes nothing.
    expect(boundRemoteText(cut, 256)).toBe(cut);
    expect(boundRemoteStrings({ a: [cut] }, 2048)).toEqual({ a: [cut] });
  });

  it('never splits a surrogate pair, and counts bytes in UTF-8', () => {
    const cut = boundRemoteText(`a${'😀'.repeat(300)}`, 4);
    expect(cut.startsWith('a😀')).toBe(true);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(cut).toContain(`${1 + 4 * 300} bytes`);
  });

  it('lists: the first entries, then one saying how many there were', () => {
    const names = Array.from({ length: 100 }, (_, i) => `n${i}`);
    const kept = boundRemoteStringList(names, 64, 256);
    expect(kept).toHaveLength(65);
    expect(kept.slice(0, 64)).toEqual(names.slice(0, 64));
    expect(kept[64]).toContain('100');
    expect(boundRemoteStringList(['a', 'b'], 64, 256)).toEqual(['a', 'b']);
  });
});
