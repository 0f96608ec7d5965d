// Tests of parseWellKnownServer: JSON, object shape, m.server presence, type and grammar, BOM and UTF-8 handling.

import { describe, expect, it } from 'vitest';
import { parseWellKnownServer } from '../../src/well-known/parse-server.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parseWellKnownServer', () => {
  it.each([
    ['{"m.server": "matrix.example.org:443"}', { host: 'matrix.example.org', kind: 'dns', port: 443 }],
    ['{"m.server": "matrix.example.org"}', { host: 'matrix.example.org', kind: 'dns' }],
    ['  {"m.server":"[2001:db8::1]:8448", "extra": [1, 2]}\n', { host: '2001:db8::1', kind: 'ipv6', port: 8448 }],
    ['{"m.server": "1.2.3.4"}', { host: '1.2.3.4', kind: 'ipv4' }],
  ])('accepts %s', (body, serverName) => {
    const result = parseWellKnownServer(bytes(body));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.serverName).toEqual(serverName);
    expect(result.mServer).toBe(JSON.parse(body)['m.server']);
    expect(result.hasBom).toBe(false);
  });

  it.each([
    ['', 'WELL_KNOWN_INVALID_JSON'],
    ['   ', 'WELL_KNOWN_INVALID_JSON'],
    ['<html>not json</html>', 'WELL_KNOWN_INVALID_JSON'],
    ['{"m.server": "a.example",}', 'WELL_KNOWN_INVALID_JSON'],
    ['[{"m.server": "a.example"}]', 'WELL_KNOWN_NOT_OBJECT'],
    ['"a.example"', 'WELL_KNOWN_NOT_OBJECT'],
    ['null', 'WELL_KNOWN_NOT_OBJECT'],
    ['{}', 'WELL_KNOWN_MISSING_M_SERVER'],
    ['{"m_server": "a.example"}', 'WELL_KNOWN_MISSING_M_SERVER'],
    ['{"m.server": 8448}', 'WELL_KNOWN_INVALID_M_SERVER'],
    ['{"m.server": null}', 'WELL_KNOWN_INVALID_M_SERVER'],
    ['{"m.server": ["a.example"]}', 'WELL_KNOWN_INVALID_M_SERVER'],
  ])('rejects %j with %s', (body, code) => {
    const result = parseWellKnownServer(bytes(body));
    expect(result).toMatchObject({ ok: false, code, mServer: null, hasBom: false });
  });

  it.each([
    'https://matrix.example.org',
    'matrix.example.org/',
    'matrix.example.org:http',
    'under_score.example',
    '',
    'matrix.example.org:0',
  ])('rejects the m.server %j by the server-name grammar, keeping it for the report', (mServer) => {
    const result = parseWellKnownServer(bytes(JSON.stringify({ 'm.server': mServer })));
    expect(result).toMatchObject({ ok: false, code: 'WELL_KNOWN_INVALID_M_SERVER', mServer });
    if (!result.ok) expect(result.detail).toContain('not a valid server name');
  });

  it('rejects a UTF-8 byte order mark and says so', () => {
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"m.server": "a.example"}')]);
    const result = parseWellKnownServer(body);
    expect(result).toMatchObject({ ok: false, code: 'WELL_KNOWN_INVALID_JSON', hasBom: true });
    if (!result.ok) expect(result.detail).toContain('byte order mark');
  });

  it('rejects bytes that are not UTF-8', () => {
    const body = new Uint8Array([...bytes('{"m.server": "a'), 0xff, ...bytes('.example"}')]);
    expect(parseWellKnownServer(body)).toMatchObject({ ok: false, code: 'WELL_KNOWN_INVALID_JSON', hasBom: false });
  });

  it('reads the last of duplicate members, as JSON.parse and Synapse do', () => {
    const result = parseWellKnownServer(bytes('{"m.server": "one.example", "m.server": "two.example"}'));
    expect(result).toMatchObject({ ok: true, mServer: 'two.example' });
  });
});
