// The `cache_store` key of the serve config: defaults, a Redis store, and every mistake named by its key with a fix.

import { describe, expect, it } from 'vitest';
import { formatConfigErrors, parseConfig } from '../../src/config/index.js';
import type { ConfigErrorCode, ConfigResult } from '../../src/config/index.js';

/** A valid base with the tester on, so that a Redis store is not reported as useless. */
const BASE = 'server_name: example.com\npublic_baseurl: https://matrix.example.com/\ntester:\n  enabled: true\n';

function okOf(result: ConfigResult): Extract<ConfigResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a valid config, got:\n${formatConfigErrors(result.errors)}`);
  return result;
}

function errorsOf(result: ConfigResult): Extract<ConfigResult, { ok: false }>['errors'] {
  if (result.ok) throw new Error(`expected errors, got a valid config (warnings: ${result.warnings.join('; ')})`);
  return result.errors;
}

describe('cache_store values', () => {
  it('absent (or empty) means an in-memory store with the documented bounds', () => {
    const expected = {
      kind: 'memory',
      url: null,
      keyPrefix: 'matrix-delegation:',
      maxEntries: 10_000,
      maxBytes: 16 * 1024 * 1024,
    };
    expect(okOf(parseConfig(BASE)).config.cacheStore).toEqual(expected);
    expect(okOf(parseConfig(`${BASE}cache_store:\n`)).config.cacheStore).toEqual(expected);
    expect(okOf(parseConfig(`${BASE}cache_store:\n  kind: memory\n`)).config.cacheStore).toEqual(expected);
  });

  it('reads a Redis store with every setting, without warnings', () => {
    const yaml = `${BASE}cache_store:\n  kind: redis\n  url: redis://:s3cret@10.0.0.5:6380/2\n  key_prefix: "tester-eu:"\n  max_entries: 500\n  max_bytes: 1048576\n`;
    const result = okOf(parseConfig(yaml));
    expect(result.config.cacheStore).toEqual({
      kind: 'redis',
      url: 'redis://:s3cret@10.0.0.5:6380/2',
      keyPrefix: 'tester-eu:',
      maxEntries: 500,
      maxBytes: 1_048_576,
    });
    expect(result.warnings).toEqual([]);
  });

  it('reads the kind case-insensitively, accepts rediss:// and a URL without a database, and keeps the default prefix', () => {
    const { config } = okOf(parseConfig(`${BASE}cache_store: { kind: Redis, url: "rediss://cache.internal:6379" }\n`));
    expect(config.cacheStore).toMatchObject({
      kind: 'redis',
      url: 'rediss://cache.internal:6379',
      keyPrefix: 'matrix-delegation:',
    });
  });

  it('a memory store sized by max_entries and max_bytes', () => {
    const { config } = okOf(parseConfig(`${BASE}cache_store: { max_entries: 20, max_bytes: 65536 }\n`));
    expect(config.cacheStore).toMatchObject({ kind: 'memory', maxEntries: 20, maxBytes: 65_536 });
  });
});

describe('every cache_store error names its key, the problem and the fix', () => {
  // [description, cache_store lines (indented under "cache_store:"), key, code, fix pattern]
  const cases: ReadonlyArray<readonly [string, string, string, ConfigErrorCode, RegExp]> = [
    ['an unknown kind', 'kind: memcached', 'cache_store.kind', 'invalid-choice', /use memory .* or redis/],
    ['a misspelt kind', 'kind: reddis', 'cache_store.kind', 'invalid-choice', /^did you mean redis\?/],
    ['a kind that is not a string', 'kind: 3', 'cache_store.kind', 'wrong-type', /kind: "redis"/],
    ['redis without a url', 'kind: redis', 'cache_store.url', 'required', /add url: "redis:\/\/127\.0\.0\.1:6379\/0"/],
    [
      'an http url',
      'kind: redis\n  url: http://127.0.0.1:6379',
      'cache_store.url',
      'invalid-url',
      /redis:\/\/127\.0\.0\.1:6379\/0/,
    ],
    [
      'a url without its scheme',
      'kind: redis\n  url: 127.0.0.1:6379',
      'cache_store.url',
      'invalid-url',
      /^add the scheme: redis:\/\/127\.0\.0\.1:6379$/,
    ],
    [
      'a url without a host',
      'kind: redis\n  url: "redis:cache"',
      'cache_store.url',
      'invalid-url',
      /redis:\/\/host:port\/db/,
    ],
    [
      'a url whose path is not a database',
      'kind: redis\n  url: redis://127.0.0.1:6379/cache',
      'cache_store.url',
      'invalid-url',
      /database number/,
    ],
    ['a url that is a number', 'kind: redis\n  url: 6379', 'cache_store.url', 'wrong-type', /url: "redis:/],
    [
      'a url on a memory store',
      'url: redis://127.0.0.1:6379',
      'cache_store.url',
      'forbidden-key',
      /add kind: redis .*or remove url/,
    ],
    [
      'a key_prefix on a memory store',
      'kind: memory\n  key_prefix: "x:"',
      'cache_store.key_prefix',
      'forbidden-key',
      /or remove key_prefix/,
    ],
    [
      'an empty key_prefix',
      'kind: redis\n  url: redis://127.0.0.1\n  key_prefix: ""',
      'cache_store.key_prefix',
      'empty',
      /matrix-delegation:/,
    ],
    [
      'a key_prefix with spaces',
      'kind: redis\n  url: redis://127.0.0.1\n  key_prefix: "my app:"',
      'cache_store.key_prefix',
      'invalid-choice',
      /letters, digits/,
    ],
    [
      'a key_prefix with a control character',
      'kind: redis\n  url: redis://127.0.0.1\n  key_prefix: "a\\x01:"',
      'cache_store.key_prefix',
      'invalid-choice',
      /letters, digits/,
    ],
    ['max_entries 0', 'max_entries: 0', 'cache_store.max_entries', 'out-of-range', /from 1 to/],
    ['max_entries negative', 'max_entries: -10', 'cache_store.max_entries', 'out-of-range', /from 1 to/],
    ['max_entries quoted', 'max_entries: "100"', 'cache_store.max_entries', 'wrong-type', /max_entries: 100/],
    ['max_bytes 0', 'max_bytes: 0', 'cache_store.max_bytes', 'out-of-range', /from 1 to .* bytes/],
    ['max_bytes fractional', 'max_bytes: 1.5', 'cache_store.max_bytes', 'wrong-type', /whole number/],
  ];

  it.each(cases)('%s', (_description, lines, key, code, fix) => {
    const errors = errorsOf(parseConfig(`${BASE}cache_store:\n  ${lines}\n`));
    expect(errors.map((e) => ({ key: e.key, code: e.code }))).toEqual([{ key, code }]);
    expect(errors[0]?.fix).toMatch(fix);
    expect(errors[0]?.problem.length).toBeGreaterThan(10);
    // Located in the file: the key's own line, or the section's for a missing key (line 5 is "cache_store:").
    expect(errors[0]?.line).toBeGreaterThanOrEqual(5);
  });

  it('`cache_store: redis` (a kind where a mapping belongs) says how to write the mapping', () => {
    const [error, ...rest] = errorsOf(parseConfig(`${BASE}cache_store: redis\n`));
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ key: 'cache_store', code: 'not-a-mapping', line: 5 });
    expect(error?.fix).toBe(
      'write the kind as a setting: cache_store: { kind: redis, url: "redis://127.0.0.1:6379/0" }',
    );
    expect(errorsOf(parseConfig(`${BASE}cache_store: [redis]\n`))).toEqual([
      expect.objectContaining({ key: 'cache_store', code: 'not-a-mapping' }),
    ]);
  });

  it('reports every cache_store mistake at once, even under an unknown kind', () => {
    const errors = errorsOf(
      parseConfig(`${BASE}cache_store:\n  kind: memcache\n  url: tcp://127.0.0.1:11211\n  max_bytes: 0\n`),
    );
    expect(errors.map((e) => e.key).sort()).toEqual(['cache_store.kind', 'cache_store.max_bytes', 'cache_store.url']);
    expect(formatConfigErrors(errors, 'serve.yaml')).toContain(
      '  cache_store.url (line 7, column 3): "tcp://127.0.0.1:11211" is not a Redis URL (redis:// or rediss://)\n    fix: write a Redis URL, e.g. redis://127.0.0.1:6379/0',
    );
  });

  it('a misspelt url under kind redis turns into the fix of the "missing" error', () => {
    const result = parseConfig(`${BASE}cache_store:\n  kind: redis\n  ulr: redis://127.0.0.1:6379\n`);
    expect(errorsOf(result)).toEqual([
      expect.objectContaining({ key: 'cache_store.url', code: 'required', fix: 'rename "ulr" to "url"' }),
    ]);
  });
});

describe('cache_store warnings', () => {
  const warningsOf = (yaml: string): string[] => okOf(parseConfig(yaml)).warnings;

  it('unknown sub-keys are ignored with a "did you mean", as everywhere in the config', () => {
    expect(warningsOf(`${BASE}cache_store:\n  max_entires: 10\n  colour: blue\n`)).toEqual([
      'cache_store.max_entires (line 6): unknown key, ignored; did you mean "max_entries"?',
      'cache_store.colour (line 7): unknown key, ignored',
    ]);
    expect(warningsOf(`${BASE}cache_stroe: { kind: memory }\n`)).toEqual([
      'cache_stroe (line 5): unknown key, ignored; did you mean "cache_store"?',
    ]);
  });

  it('says when a Redis store can have no effect: tester off, or neither results nor a rate limit to share', () => {
    const redis = 'cache_store: { kind: redis, url: "redis://127.0.0.1:6379" }\n';
    expect(warningsOf(`server_name: example.com\npublic_baseurl: https://matrix.example.com/\n${redis}`)).toEqual([
      expect.stringMatching(/^cache_store \(line 3\): has no effect while the tester is off/),
    ]);
    expect(warningsOf(`${BASE}  cache_seconds: 0\n  rate_limit_per_minute: 0\n${redis}`)).toEqual([
      expect.stringMatching(/^cache_store \(line 7\): has no effect: tester\.cache_seconds is 0/),
    ]);
    // Without caching, the per-client rate limit is still kept in Redis (issue 19): the store has an effect.
    expect(warningsOf(`${BASE}  cache_seconds: 0\n${redis}`)).toEqual([]);
  });

  it('warns about a byte bound too small for a check report', () => {
    expect(warningsOf(`${BASE}cache_store: { max_bytes: 4096 }\n`)).toEqual([
      expect.stringMatching(/^cache_store\.max_bytes \(line 5\): 4096 bytes holds few or no check results/),
    ]);
  });
});
