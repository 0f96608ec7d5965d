// The address policy's reasons, the checker's timeout and target sentences, and the report's cut markers, said in Chinese (issue 17).

import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKER_ERROR_EN, CHECKER_ERROR_TEXTS } from '../../src/check-report/checker-error-texts.js';
import { NO_PROBES, type AddressReport } from '../../src/check-report/index.js';
import { CheckBudgetExpired } from '../../src/checker/budget.js';
import { timedOutAddress } from '../../src/checker/check-address.js';
import { createTargetClient } from '../../src/checker/check-client.js';
import { diagnose } from '../../src/diagnosis/index.js';
import { cutWords } from '../../src/diagnosis/rules/cut-words.js';
import { errorWords, readErrorWords } from '../../src/diagnosis/rules/error-words.js';
import { policyReasonWords } from '../../src/diagnosis/rules/policy-words.js';
import { checkTranslations } from '../../src/i18n/index.js';
import { inspectServerKeys } from '../../src/keys/key-response.js';
import { operationSignal } from '../../src/net/abort.js';
import { ADDRESS_POLICY_TEXTS } from '../../src/net/address-policy-texts.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { connectTls } from '../../src/net/connect.js';
import { probeTls } from '../../src/net/tls-probe.js';
import { CUT_MARKER_TEXTS, REMOTE_TEXT_LIMITS, boundRemoteStringList, boundRemoteText } from '../../src/remote-text.js';
import type { ResolvedTarget } from '../../src/resolver/types.js';
import { WELL_KNOWN_ERROR_EN } from '../../src/well-known/well-known-error-texts.js';
import { sayingProblems } from './sentence-checks.js';

const SYSTEM_MARK = '（系统原文：';

/** What is wrong with a Chinese saying of an English sentence (nothing: an empty list); every form here is read. */
function problems(english: string, chinese: string): string[] {
  const found = sayingProblems(english, chinese);
  if (chinese.includes('检查结果（原文）')) found.push(`not read: ${chinese}`);
  return found;
}

/** Every range the policy names, with an address in it, denied by a list of those ranges alone. */
const NAMED_RANGES: readonly (readonly [string, string])[] = [
  ['0.0.0.0/8', '0.1.2.3'],
  ['127.0.0.0/8', '127.0.0.2'],
  ['10.0.0.0/8', '10.1.2.3'],
  ['172.16.0.0/12', '172.16.5.4'],
  ['192.168.0.0/16', '192.168.1.1'],
  ['100.64.0.0/10', '100.64.0.1'],
  ['192.0.0.0/24', '192.0.0.9'],
  ['169.254.0.0/16', '169.254.1.1'],
  ['192.88.99.0/24', '192.88.99.1'],
  ['198.18.0.0/15', '198.18.0.1'],
  ['192.0.2.0/24', '192.0.2.1'],
  ['198.51.100.0/24', '198.51.100.1'],
  ['203.0.113.0/24', '203.0.113.1'],
  ['224.0.0.0/4', '224.0.0.251'],
  ['240.0.0.0/4', '240.0.0.1'],
  ['::1/128', '::1'],
  ['fe80::/10', 'fe80::1'],
  ['fc00::/7', 'fd00::1'],
  ['2001:db8::/32', '2001:db8::1'],
  ['ff00::/8', 'ff02::1'],
  ['fec0::/10', 'fec0::1'],
  ['64:ff9b::/96', '64:ff9b::808:808'],
  ['2002::/16', '2002:808:808::1'],
  ['::ffff:0:0/96', '::ffff:8.8.8.8'],
];

/** The reasons of every form, as the policy itself writes them. */
function policyReasons(): string[] {
  const defaults = createAddressPolicy();
  const listed = createAddressPolicy({ denyNetworks: [...NAMED_RANGES.map(([cidr]) => cidr), '8.8.4.0/24'] });
  const reasons = [
    defaults.check('not-an-address').reason,
    defaults.check('0.0.0.0').reason,
    defaults.check('::ffff:0.0.0.0').reason,
    defaults.check('8.8.8.8').reason,
    defaults.check('10.1.2.3').reason,
    defaults.check('::ffff:10.1.2.3').reason,
    defaults.check('::10.1.2.3').reason,
    defaults.check('2002:a01:203::1').reason,
    defaults.check('64:ff9b::a01:203').reason,
    listed.check('8.8.4.4').reason, // an unnamed network of the list
    createAddressPolicy({ allowNetworks: ['127.0.0.0/8'] }).check('127.0.0.2').reason,
    createAddressPolicy({ denyNetworks: ['10.0.0.0/8'], allowNetworks: ['10.1.0.0/16'] }).check('10.1.2.3').reason,
    ...NAMED_RANGES.map(([, ip]) => listed.check(ip).reason),
  ];
  return reasons;
}

describe('the address policy in Chinese', () => {
  it('its catalogue is complete in Chinese', () => {
    expect(
      checkTranslations(
        ADDRESS_POLICY_TEXTS,
        {
          notAnAddress: { ip: 'not-an-ip' },
          unspecified: { subject: '0.0.0.0' },
          notDenied: { ip: '8.8.8.8' },
          deniedByDefault: { subject: '10.0.0.1', network: '10.0.0.0/8' },
          deniedByList: { subject: '10.0.0.2', network: '10.0.0.0/9' },
          allowedOverDefault: { subject: '127.0.0.3', network: '127.0.0.0/8', allow: '127.0.0.0/16' },
          allowedOverList: { subject: '10.0.0.4', network: '10.0.0.0/10', allow: '10.0.0.0/24' },
          embedded: { ip: '::ffff:10.0.0.5', via: 'IPv4-mapped', embedded: '10.0.0.5' },
          named: { cidr: '10.0.0.0/11', name: 'range name' },
        },
        // Names that are a technical term alone, kept in Latin letters as Chinese admins write them.
        ['named'],
      ),
    ).toEqual([]);
  });

  it('every form of the policy, as it writes it, reads back and is said in Chinese with every value', () => {
    const reasons = policyReasons();
    expect(new Set(reasons).size).toBe(reasons.length);
    const failures: string[] = [];
    for (const reason of reasons) {
      const said = policyReasonWords(reason, 'zh-CN');
      if (said === null) failures.push(`not read: ${reason}`);
      else failures.push(...problems(reason, said));
    }
    expect(failures).toEqual([]);
    // Each range's name in Chinese words (the one for 10.0.0.0/8, say).
    expect(policyReasonWords(createAddressPolicy().check('10.1.2.3').reason, 'zh-CN')).toBe(
      '10.1.2.3 位于 10.0.0.0/8（私有网络，RFC 1918）中，该网段默认被拒绝',
    );
    expect(policyReasonWords(createAddressPolicy().check('::ffff:10.1.2.3').reason, 'zh-CN')).toBe(
      '::ffff:10.1.2.3（10.1.2.3 的 IPv4-mapped 形式）位于 10.0.0.0/8（私有网络，RFC 1918）中，该网段默认被拒绝',
    );
  });

  it("the policy's reasons inside a connection's, a probe's and a well-known fetch's sentence", async () => {
    const policy = createAddressPolicy();
    // Every address denied: nothing is dialled.
    const connected = await connectTls({
      addresses: ['10.1.2.3', '::ffff:192.168.1.1', '127.0.0.1'],
      port: 8448,
      servername: 'matrix.example.org',
      policy,
      attemptTimeoutMs: 1_000,
    });
    expect(connected.ok).toBe(false);
    if (connected.ok) return;
    expect(connected.code).toBe('ADDRESS_DENIED');
    const probed = await probeTls({ ip: '169.254.1.1', port: 8448, sni: null, tlsServerName: '169.254.1.1', policy });
    expect(probed.ok).toBe(false);
    if (probed.ok) return;
    const blocked = WELL_KNOWN_ERROR_EN.blocked({
      url: 'https://example.org/.well-known/matrix/server',
      host: 'example.org',
      reasons: connected.attempts.map((a) => a.message).join('; '),
    });
    const failures: string[] = [];
    for (const [code, sentence] of [
      [connected.code, connected.message],
      [probed.error.code, probed.error.message],
      ['ADDRESS_DENIED', blocked],
    ] as const) {
      if (readErrorWords(code, sentence, 'zh-CN') === null) failures.push(`not read: ${sentence}`);
      failures.push(...problems(sentence, errorWords(code, sentence, 'zh-CN')));
    }
    expect(failures).toEqual([]);
    expect(errorWords(connected.code, connected.message, 'zh-CN')).toContain('私有网络，RFC 1918');
    expect(errorWords(probed.error.code, probed.error.message, 'zh-CN')).toBe(
      '169.254.1.1:8448：没有连接：169.254.1.1 位于 169.254.0.0/16（链路本地地址）中，该网段默认被拒绝',
    );
  });

  it('a reason no form writes is marked as the check’s words, not as a system’s', () => {
    const said = errorWords('ADDRESS_DENIED', 'no address may be contacted: 10.0.0.1 is somewhere', 'zh-CN');
    expect(said).toBe('没有可以连接的地址：检查结果（原文）：10.0.0.1 is somewhere');
  });
});

const TARGET: ResolvedTarget = {
  step: '3.2',
  ip: '127.0.0.1',
  port: 443,
  hostHeader: 'hs.example.test:443',
  tlsServerName: 'hs.example.test',
  sni: 'hs.example.test',
  addressOf: 'hs.example.test',
  srv: null,
};

describe("the checker's timeout and target sentences in Chinese", () => {
  let stalling: Server;
  const sockets = new Set<Socket>();
  let stallPort = 0;
  let closedPort = 0;

  beforeAll(async () => {
    // A server that accepts the TCP connection and never speaks TLS: the handshake runs into its limit.
    stalling = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    stalling.listen(0, '127.0.0.1');
    await once(stalling, 'listening');
    stallPort = (stalling.address() as { port: number }).port;
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    closedPort = (closed.address() as { port: number }).port;
    closed.close();
    await once(closed, 'close');
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    stalling.close();
    await once(stalling, 'close');
  });

  it('its catalogue is complete in Chinese', () => {
    expect(
      checkTranslations(
        CHECKER_ERROR_TEXTS,
        {
          targetFailed: { address: '192.0.2.1:443', step: '3.2', name: 'hs.example.org', inner: 'inner words' },
          addressTimedOut: { address: '192.0.2.2:8448', inner: 'inner budget' },
          budgetExpired: { ms: 4001 },
        },
        ['addressTimedOut'], // an address and a sentence said in Chinese of its own
      ),
    ).toEqual([]);
  });

  /** The target client's error for one request to `port` (the producer itself, over loopback). */
  async function requestError(
    port: number,
    init: { connectTimeoutMs?: number },
  ): Promise<{ code: string; message: string }> {
    const client = createTargetClient({
      policy: createAddressPolicy({ allowNetworks: ['127.0.0.0/8'] }),
      connectTimeoutMs: init.connectTimeoutMs ?? 5_000,
    });
    try {
      await client.requestTarget({ ...TARGET, port }, '/_matrix/federation/v1/version', { timeoutMs: 5_000 });
      throw new Error('the request succeeded');
    } catch (error) {
      return error as { code: string; message: string };
    } finally {
      await client.close();
    }
  }

  it('every form, as the checker writes it, reads back and is said in Chinese with every value', async () => {
    const refused = await requestError(closedPort, {});
    const stalled = await requestError(stallPort, { connectTimeoutMs: 300 });
    expect(stalled.message).toContain('did not finish within 300 ms');
    // An operation's own limit (abort.ts), as a request or a body meets it.
    const op = operationSignal(5, undefined);
    await once(op.signal, 'abort');
    op.dispose();
    const operation = (op.signal.reason as Error).message;
    const budget = new CheckBudgetExpired(4000).message;
    const timedOut = timedOutAddress(TARGET, budget).connectionError;
    const sentences: readonly (readonly [string, string])[] = [
      [refused.code, refused.message],
      [stalled.code, stalled.message],
      ['TIMEOUT', operation],
      ['TIMEOUT', CHECKER_ERROR_EN.targetFailed({ address: '[::1]:8448', step: '4', name: '::1', inner: operation })],
      ['TIMEOUT', budget],
      [timedOut?.code ?? '', timedOut?.message ?? ''],
    ];
    const failures: string[] = [];
    for (const [code, sentence] of sentences) {
      if (readErrorWords(code, sentence, 'zh-CN') === null) failures.push(`not read: ${sentence}`);
      failures.push(...problems(sentence, errorWords(code, sentence, 'zh-CN')));
    }
    expect(failures).toEqual([]);
    expect(errorWords('TIMEOUT', timedOut?.message ?? '', 'zh-CN')).toBe(
      '127.0.0.1:443：检查的时间预算（4000 毫秒）已用完，这一项没有完成',
    );
    expect(errorWords(refused.code, refused.message, 'zh-CN')).toBe(
      `127.0.0.1:${closedPort}（第 3.2 步，证书名称 hs.example.test）：127.0.0.1：连接被拒绝` +
        `${SYSTEM_MARK}connect ECONNREFUSED 127.0.0.1:${closedPort}）`,
    );
    expect(errorWords('TIMEOUT', operation, 'zh-CN')).toBe('操作在 5 毫秒内没有完成（超时）');
  });
});

describe('the cut marker in Chinese hints', () => {
  it('its catalogue is complete in Chinese', () => {
    expect(checkTranslations(CUT_MARKER_TEXTS, { bytes: { bytes: 5001 }, entries: { count: 71 } })).toEqual([]);
  });

  it('says the markers the bounds write, keeping the value kept', () => {
    const keyId = boundRemoteText(`ed25519:${'a'.repeat(5000)}`, REMOTE_TEXT_LIMITS.keyId);
    expect(cutWords(keyId, 'zh-CN')).toBe(`ed25519:${'a'.repeat(56)}…（已截断，共 5008 字节）`);
    const names = boundRemoteStringList(
      Array.from({ length: 70 }, (_, i) => `n${i}.example.org`),
      64,
    );
    expect(cutWords(names.join(', '), 'zh-CN')).toMatch(/n63\.example\.org, …（已截断，共 70 项）$/);
    expect(cutWords(keyId, 'en')).toBe(keyId);
    // A remote text that only looks like a marker (a number that does not write it again) is left as it is.
    expect(cutWords('x… (cut: 007 bytes in all)', 'zh-CN')).toBe('x… (cut: 007 bytes in all)');
  });

  it('a sentence cut by the bounds is the check’s words, marked, its marker in Chinese', () => {
    const long = WELL_KNOWN_ERROR_EN.failedAt({
      url: `https://example.org/${'p'.repeat(2000)}`,
      inner: 'the body is empty',
    });
    const cut = boundRemoteText(long, REMOTE_TEXT_LIMITS.message);
    const said = errorWords('WELL_KNOWN_INVALID_JSON', cut, 'zh-CN');
    expect(said.startsWith('检查结果（原文）：https://example.org/')).toBe(true);
    expect(said.endsWith(`…（已截断，共 ${Buffer.byteLength(long)} 字节）`)).toBe(true);
    expect(said).not.toContain('系统原文');
  });

  it('diagnose says a cut value in Chinese (a cut key problem, a cut version name), English unchanged', () => {
    const problem = boundRemoteText(`"server_name" is ${'x'.repeat(3000)}`, REMOTE_TEXT_LIMITS.message);
    const name = boundRemoteText('Synapse'.repeat(100), REMOTE_TEXT_LIMITS.name);
    const address: AddressReport = {
      ...timedOutAddress(TARGET, 'unused'),
      connectionError: null,
      tls: {
        protocol: 'TLSv1.3',
        cipher: 'TLS_AES_128_GCM_SHA256',
        chain: [],
        trusted: true,
        trustError: null,
        nameMatches: true,
        nameError: null,
        expiresInDays: 60,
        durationMs: 1,
      },
      version: {
        ok: true,
        httpStatus: 200,
        name,
        version: '1.0',
        contentType: 'application/json',
        error: null,
        durationMs: 1,
      },
      keys: {
        ok: false,
        httpStatus: 200,
        matchingServerName: false,
        futureValidUntilTs: true,
        hasEd25519Key: true,
        allEd25519ChecksOk: true,
        ed25519Checks: {},
        verifyKeys: {},
        serverName: null,
        validUntilTs: null,
        raw: null,
        problems: [{ code: 'KEYS_INVALID_RESPONSE', message: problem }],
        durationMs: 1,
      },
      ok: false,
    };
    const report = {
      serverName: 'hs.example.test',
      checkedAt: '2026-03-01T12:00:00.000Z',
      federationOk: false,
      reachable: false,
      summary: 'x',
      resolution: {
        serverName: 'hs.example.test',
        parsed: { host: 'hs.example.test', kind: 'dns' as const },
        wellKnown: {
          status: 'delegated' as const,
          mServer: 'hs.example.test:443',
          serverName: { host: 'hs.example.test', kind: 'dns' as const, port: 443 },
          detail: 'delegates',
          code: null,
        },
        targets: [TARGET],
        trace: [],
        error: null,
      },
      wellKnownByAddress: [],
      addresses: [address],
      version: { name, version: '1.0', error: null },
      client: null,
      support: null,
      probes: NO_PROBES,
    };
    const en = diagnose(report as never);
    const zh = diagnose(report as never, { locale: 'zh-CN' });
    expect(zh.map((h) => h.id)).toEqual(en.map((h) => h.id));
    const enText = en.map((h) => `${h.detail} ${h.fix}`).join('\n');
    const zhText = zh.map((h) => `${h.detail} ${h.fix}`).join('\n');
    expect(enText).toContain(`(cut: ${Buffer.byteLength(`"server_name" is ${'x'.repeat(3000)}`)} bytes in all)`);
    expect(zhText).not.toMatch(/\(cut: \d+ bytes in all\)/);
    expect(zhText).toContain(`…（已截断，共 ${Buffer.byteLength(`"server_name" is ${'x'.repeat(3000)}`)} 字节）`);
  });
});

describe('a JSON object is "an object" in the key checks', () => {
  it('inspectServerKeys says "an object" for a server_name that is an object', () => {
    const inspection = inspectServerKeys({ server_name: {}, verify_keys: {} }, 'example.org', Date.now());
    const messages = inspection.errors.map((e) => e.message);
    expect(messages).toContain('"server_name" is an object; it must be the server name as a string');
    expect(messages.join('\n')).not.toContain('a object');
  });
});
