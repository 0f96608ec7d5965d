// The client settings in extra_well_known_client_content: validated by the checker's rules (key, problem, fix) before
// `serve` or `config` would serve them (issue 21).

import { describe, expect, it } from 'vitest';
import { buildClientDocument } from '../../src/config/documents.js';
import { formatConfigErrors, parseConfig } from '../../src/config/index.js';
import type { ConfigErrorCode, ConfigResult } from '../../src/config/index.js';
import { parseConfigForSnippets } from '../../src/proxy-config/load.js';

const BASE = 'server_name: example.com\npublic_baseurl: https://matrix.example.com/\n';

function withExtras(yaml: string): string {
  return `${BASE}extra_well_known_client_content:\n${yaml
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n')}\n`;
}

function errorsOf(result: ConfigResult) {
  if (result.ok) throw new Error(`expected errors, got a valid config (warnings: ${result.warnings.join('; ')})`);
  return result.errors;
}

describe('every client setting clients would misread is refused, naming the key, the problem and the fix', () => {
  // [description, YAML under extra_well_known_client_content, key, code, a word the fix must contain]
  const cases: ReadonlyArray<readonly [string, string, string, ConfigErrorCode, RegExp]> = [
    [
      'e2ee not a mapping',
      'io.element.e2ee: true',
      'extra_well_known_client_content["io.element.e2ee"]',
      'wrong-type',
      /default: true/,
    ],
    [
      'e2ee default the string "false"',
      'io.element.e2ee: { default: "false" }',
      'extra_well_known_client_content["io.element.e2ee"].default',
      'wrong-type',
      /true or false without quotes/,
    ],
    [
      // YAML 1.2 reads `no` as a string: Synapse (YAML 1.1) would serve false, this server would serve "no".
      'e2ee default: no',
      'io.element.e2ee: { default: no }',
      'extra_well_known_client_content["io.element.e2ee"].default',
      'wrong-type',
      /not "false", no or off/,
    ],
    [
      'e2ee force_disable a number',
      'io.element.e2ee: { force_disable: 1 }',
      'extra_well_known_client_content["io.element.e2ee"].force_disable',
      'wrong-type',
      /true or false/,
    ],
    [
      'e2ee secure_backup_required a string',
      'im.vector.riot.e2ee: { secure_backup_required: "yes" }',
      'extra_well_known_client_content["im.vector.riot.e2ee"].secure_backup_required',
      'wrong-type',
      /true or false/,
    ],
    [
      'e2ee secure_backup_setup_methods not a list',
      'io.element.e2ee: { secure_backup_setup_methods: passphrase }',
      'extra_well_known_client_content["io.element.e2ee"].secure_backup_setup_methods',
      'wrong-type',
      /list/,
    ],
    [
      'e2ee secure_backup_setup_methods an unknown method',
      'io.element.e2ee: { secure_backup_setup_methods: [key, recovery_code] }',
      'extra_well_known_client_content["io.element.e2ee"].secure_backup_setup_methods[1]',
      'invalid-choice',
      /"key", "passphrase"/,
    ],
    [
      'Jitsi domain written as a URL',
      'im.vector.riot.jitsi: { preferredDomain: "https://jitsi.example.com/" }',
      'extra_well_known_client_content["im.vector.riot.jitsi"].preferredDomain',
      'invalid-server-name',
      /host name alone/,
    ],
    [
      'Jitsi without preferredDomain',
      'io.element.jitsi: { useFor1To1Calls: true }',
      'extra_well_known_client_content["io.element.jitsi"].preferredDomain',
      'required',
      /jitsi\.example\.com/,
    ],
    [
      'Jitsi useFor1To1Calls a string',
      'io.element.jitsi: { preferredDomain: jitsi.example.com, useFor1To1Calls: "true" }',
      'extra_well_known_client_content["io.element.jitsi"].useFor1To1Calls',
      'wrong-type',
      /true or false/,
    ],
    [
      'rtc_foci a mapping',
      'org.matrix.msc4143.rtc_foci: { type: livekit }',
      'extra_well_known_client_content["org.matrix.msc4143.rtc_foci"]',
      'wrong-type',
      /a list/,
    ],
    [
      'a focus without type',
      'org.matrix.msc4143.rtc_foci: [{ livekit_service_url: "https://rtc.example.com/livekit/jwt" }]',
      'extra_well_known_client_content["org.matrix.msc4143.rtc_foci"][0].type',
      'required',
      /type: livekit/,
    ],
    [
      'a LiveKit focus on plain http',
      'org.matrix.msc4143.rtc_foci: [{ type: livekit, livekit_service_url: "http://rtc.example.com/livekit/jwt" }]',
      'extra_well_known_client_content["org.matrix.msc4143.rtc_foci"][0].livekit_service_url',
      'invalid-url',
      /https:\/\//,
    ],
    [
      'a LiveKit focus without its URL',
      'org.matrix.msc4143.rtc_foci: [{ type: livekit }]',
      'extra_well_known_client_content["org.matrix.msc4143.rtc_foci"][0].livekit_service_url',
      'required',
      /https:\/\//,
    ],
    [
      'an issuer on plain http',
      'org.matrix.msc2965.authentication: { issuer: "http://account.example.com/" }',
      'extra_well_known_client_content["org.matrix.msc2965.authentication"].issuer',
      'invalid-url',
      /without \? or #/,
    ],
    [
      'an issuer with a query',
      'org.matrix.msc2965.authentication: { issuer: "https://account.example.com/?realm=matrix" }',
      'extra_well_known_client_content["org.matrix.msc2965.authentication"].issuer',
      'invalid-url',
      /without \? or #/,
    ],
    [
      'an account page not a URL',
      'org.matrix.msc2965.authentication: { issuer: "https://account.example.com/", account: account.example.com }',
      'extra_well_known_client_content["org.matrix.msc2965.authentication"].account',
      'invalid-url',
      /https:\/\//,
    ],
    [
      'no issuer',
      'org.matrix.msc2965.authentication: {}',
      'extra_well_known_client_content["org.matrix.msc2965.authentication"].issuer',
      'required',
      /issuer/,
    ],
    [
      'a map style without scheme',
      'm.tile_server: { map_style_url: tiles.example.com/style.json }',
      'extra_well_known_client_content["m.tile_server"].map_style_url',
      'invalid-url',
      /https:\/\//,
    ],
    [
      'a tile server as a string',
      'org.matrix.msc3488.tile_server: "https://tiles.example.com/style.json"',
      'extra_well_known_client_content["org.matrix.msc3488.tile_server"]',
      'wrong-type',
      /map_style_url/,
    ],
  ];

  it.each(cases)('%s', (_, yaml, key, code, fix) => {
    const errors = errorsOf(parseConfig(withExtras(yaml)));
    expect(errors.map((e) => [e.key, e.code])).toEqual([[key, code]]);
    expect(errors[0]!.fix).toMatch(fix);
    expect(errors[0]!.problem.length).toBeGreaterThan(10);
    // The message an admin reads: the key with its line, the problem and the fix.
    expect(formatConfigErrors(errors)).toContain(key);
  });

  it('`config` refuses the same values (the snippets would serve them too)', async () => {
    const result = await parseConfigForSnippets(withExtras('io.element.e2ee: { default: "false" }'));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => e.key)).toEqual(['extra_well_known_client_content["io.element.e2ee"].default']);
  });

  it('reports every wrong value at once', () => {
    const errors = errorsOf(
      parseConfig(
        withExtras(
          'io.element.e2ee: { default: "false" }\nim.vector.riot.jitsi: { preferredDomain: "https://j.example/" }\nm.tile_server: {}',
        ),
      ),
    );
    expect(errors.map((e) => e.code)).toEqual(['wrong-type', 'invalid-server-name', 'required']);
  });
});

describe('valid settings are served as written', () => {
  it('the current forms, and the older names clients still read, pass without a warning', () => {
    const result = parseConfig(
      withExtras(
        [
          'io.element.e2ee: { default: false, force_disable: false }',
          'io.element.jitsi: { preferredDomain: jitsi.example.com, useFor1To1Calls: true }',
          'im.vector.riot.jitsi: { preferredDomain: jitsi.example.com }',
          'org.matrix.msc4143.rtc_foci: [{ type: livekit, livekit_service_url: "https://rtc.example.com/livekit/jwt" }, { type: org.example.mesh }]',
          'org.matrix.msc2965.authentication: { issuer: "https://account.example.com/", account: "https://account.example.com/account/" }',
          'm.tile_server: { map_style_url: "https://tiles.example.com/style.json" }',
          'org.example.custom: { anything: [1, "two"] }',
        ].join('\n'),
      ),
    );
    if (!result.ok) throw new Error(formatConfigErrors(result.errors));
    expect(result.warnings).toEqual([]);
    expect(buildClientDocument(result.config)).toMatchObject({
      'io.element.e2ee': { default: false, force_disable: false },
      'org.matrix.msc4143.rtc_foci': [
        { type: 'livekit', livekit_service_url: 'https://rtc.example.com/livekit/jwt' },
        { type: 'org.example.mesh' },
      ],
    });
  });

  it.each([
    ['the deprecated E2EE name', 'im.vector.riot.e2ee: { default: true }', /deprecated name: write io\.element\.e2ee/],
    [
      'settings Element Web no longer reads',
      'io.element.e2ee: { default: true, secure_backup_required: true }',
      /no longer reads secure_backup_required/,
    ],
    [
      'default contradicted',
      'io.element.e2ee: { default: true, force_disable: true }',
      /no effect while force_disable/,
    ],
    [
      'Jitsi keys naming different servers',
      'io.element.jitsi: { preferredDomain: a.example.com }\nim.vector.riot.jitsi: { preferredDomain: b.example.com }',
      /different Jitsi servers/,
    ],
    [
      'the unstable tile server name',
      'org.matrix.msc3488.tile_server: { map_style_url: "https://tiles.example.com/style.json" }',
      /unstable name: write m\.tile_server/,
    ],
  ])('warns about %s, and serves it', (_, yaml, warning) => {
    const result = parseConfig(withExtras(yaml));
    if (!result.ok) throw new Error(formatConfigErrors(result.errors));
    expect(result.warnings).toEqual([expect.stringMatching(warning)]);
  });
});
