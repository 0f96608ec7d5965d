// Library arguments (issue 13, item 9): any value of any public option gives a result or a MatrixDelegationError with a stable code.

import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { createFederationClient } from '../../src/client/federation-client.js';
import type { FederationClient } from '../../src/client/federation-client.js';
import { createMemoryDns } from '../../src/dns/index.js';
import { ERROR_CODES, MatrixDelegationError } from '../../src/errors.js';
import type { ErrorCode } from '../../src/errors.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import type { ResolvedTarget } from '../../src/resolver/types.js';

/** Every name is NXDOMAIN: nothing below ever leaves the process (no DNS server, no connection). */
const dns = createMemoryDns({});
const NAME = 'example.org';

/** How a call ended: 'result', or the code of the MatrixDelegationError it threw. Anything else fails the test. */
async function outcome(run: () => unknown): Promise<'result' | ErrorCode> {
  try {
    await run();
    return 'result';
  } catch (error) {
    if (error instanceof MatrixDelegationError && (ERROR_CODES as readonly string[]).includes(error.code))
      return error.code;
    throw error;
  }
}

/** The error a call threw (or null when it did not). */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return null;
  } catch (error) {
    return error;
  }
}

/** Warnings Node emits during a test: a timer that overflows says TimeoutOverflowWarning. */
let warnings: string[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(`${warning.name}: ${warning.message}`);
};
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('warning', onWarning);
});

describe('the arguments of the issue', () => {
  it.each([
    ['undefined', undefined],
    ['a number', 5],
    ['an object', {}],
    ['null', null],
  ])(
    'a server name that is %s: INVALID_ARGUMENT from resolveServerName, checkServer and client.fetch',
    async (_what, value) => {
      const client = createFederationClient({ dns });
      try {
        for (const run of [
          () => resolveServerName(value as string, { dns }),
          () => checkServer(value as string, { dns }),
          () => client.fetch(value as string, '/_matrix/federation/v1/version'),
        ]) {
          const error = await thrown(run);
          expect(error).toBeInstanceOf(MatrixDelegationError);
          expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', detail: { option: 'serverName' } });
        }
      } finally {
        await client.close();
      }
    },
  );

  it.each([-5, Number.NaN, Number.POSITIVE_INFINITY, 0, 1.5])(
    'operationTimeoutMs %s: INVALID_ARGUMENT naming the option',
    async (value) => {
      const error = await thrown(() => checkServer(NAME, { dns, operationTimeoutMs: value }));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', detail: { option: 'operationTimeoutMs' } });
      expect(error).toBeInstanceOf(MatrixDelegationError);
    },
  );

  it.each([Number.POSITIVE_INFINITY, 1e12, 2 ** 31])(
    'timeoutMs %s: INVALID_ARGUMENT (not an immediate TIMEOUT), and no TimeoutOverflowWarning',
    async (value) => {
      const client = () => createFederationClient({ dns, timeoutMs: value });
      for (const run of [
        () => resolveServerName(NAME, { dns, timeoutMs: value }),
        () => checkServer(NAME, { dns, timeoutMs: value }),
        client,
      ]) {
        expect(await thrown(run)).toMatchObject({ code: 'INVALID_ARGUMENT', detail: { option: 'timeoutMs' } });
      }
      for (const option of ['wellKnownTimeoutMs', 'connectTimeoutMs', 'requestTimeoutMs'] as const) {
        expect(await thrown(() => createFederationClient({ dns, [option]: value }))).toMatchObject({
          code: 'INVALID_ARGUMENT',
          detail: { option },
        });
      }
      // Let any timer that was armed fire (an overflowing one fires after 1 ms).
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(warnings.filter((w) => w.startsWith('TimeoutOverflowWarning'))).toEqual([]);
    },
  );

  it('the longest timer Node has (2^31 - 1 ms) is accepted', async () => {
    const result = await resolveServerName(NAME, { dns, timeoutMs: 2 ** 31 - 1, wellKnownTimeoutMs: 2 ** 31 - 1 });
    expect(result.error?.code).not.toBe('TIMEOUT');
  });

  it.each([
    ['defaultPort', -1],
    ['defaultPort', 0],
    ['defaultPort', 65_536],
    ['wellKnownPort', -1],
  ] as const)('%s %s: INVALID_ARGUMENT, no target at a port that cannot exist', async (option, value) => {
    for (const run of [
      () => resolveServerName(`${NAME}`, { dns, [option]: value }),
      () => checkServer(NAME, { dns, [option]: value }),
    ]) {
      expect(await thrown(run)).toMatchObject({ code: 'INVALID_ARGUMENT', detail: { option } });
    }
    expect(() => createFederationClient({ dns, [option]: value })).toThrow(MatrixDelegationError);
  });

  it('maxBodyBytes -1: INVALID_ARGUMENT', () => {
    expect(() => createFederationClient({ dns, maxBodyBytes: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', detail: { option: 'maxBodyBytes', value: -1 } }),
    );
  });

  it.each([Number.NaN, 1e300, '2026-12-07', undefined])(
    'checkServer with a clock (now) returning %s: INVALID_ARGUMENT naming now',
    async (value) => {
      const error = await thrown(() => checkServer(NAME, { dns, now: () => value as number }));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', detail: { option: 'now' } });
    },
  );

  it('options that are not an object: INVALID_ARGUMENT', async () => {
    for (const value of [null, 5, 'x', []]) {
      expect(await thrown(() => resolveServerName(NAME, value as never))).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(await thrown(() => checkServer(NAME, value as never))).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(() => createFederationClient(value as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });
});

/** Arbitrary values, with the ones the issue found and the edges of each range weighted in. */
const anyValue = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    undefined,
    null,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -5,
    -1,
    0,
    1,
    1.5,
    443,
    65_535,
    65_536,
    1e12,
    2 ** 31,
    2 ** 31 - 1,
    '',
    'x',
    '-1',
    true,
    false,
    [],
    {},
  ),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
);

/** The public options of each entry point (the resolver's are part of the others'). */
const RESOLVE_OPTIONS = [
  'dnsServers',
  'allowNetworks',
  'denyNetworks',
  'policy',
  'ca',
  'wellKnownPort',
  'defaultPort',
  'timeoutMs',
  'wellKnownTimeoutMs',
  'wellKnown',
  'deps',
  'random',
  'signal',
  'cache',
  'overlap',
] as const;
const CHECK_OPTIONS = [...RESOLVE_OPTIONS, 'operationTimeoutMs', 'checkDocuments', 'maxAddresses', 'now'] as const;
const CLIENT_OPTIONS = [
  ...RESOLVE_OPTIONS,
  'connectTimeoutMs',
  'requestTimeoutMs',
  'maxBodyBytes',
  'userAgent',
  'verifyCertificates',
  'origin',
  'signingKey',
] as const;
const RUNS = 60;

describe('property: any value of any public option', () => {
  it('resolveServerName: a result or a MatrixDelegationError with a stable code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...RESOLVE_OPTIONS, 'dns'), anyValue, async (option, value) => {
        // `dns` is the memory port unless it is the option under test (never undefined then: that would ask real DNS).
        if (option === 'dns' && value === undefined) return;
        await outcome(() => resolveServerName(NAME, { dns, [option]: value }));
      }),
      { numRuns: RUNS * 4 },
    );
    expect(warnings.filter((w) => w.startsWith('TimeoutOverflowWarning'))).toEqual([]);
  });

  it('checkServer: a report or a MatrixDelegationError with a stable code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHECK_OPTIONS), anyValue, async (option, value) => {
        await outcome(() => checkServer(NAME, { dns, [option]: value }));
      }),
      { numRuns: RUNS * 4 },
    );
    expect(warnings.filter((w) => w.startsWith('TimeoutOverflowWarning'))).toEqual([]);
  });

  it('the server name argument of the three: a result or a stable code', async () => {
    const client = createFederationClient({ dns });
    try {
      await fc.assert(
        fc.asyncProperty(anyValue, async (value) => {
          await outcome(() => resolveServerName(value as string, { dns }));
          await outcome(() => checkServer(value as string, { dns, checkDocuments: false }));
          await outcome(() => client.fetch(value as string, '/'));
        }),
        { numRuns: RUNS },
      );
    } finally {
      await client.close();
    }
  });

  it('createFederationClient and client.fetch (path, init and its fields): a result or a stable code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CLIENT_OPTIONS), anyValue, async (option, value) => {
        let client: FederationClient | undefined;
        try {
          await outcome(async () => {
            client = createFederationClient({ dns, [option]: value });
            await client.fetch(NAME, '/_matrix/federation/v1/version');
          });
        } finally {
          await client?.close();
        }
      }),
      { numRuns: RUNS * 4 },
    );
    const client = createFederationClient({ dns });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('path', 'init', 'method', 'headers', 'body', 'json', 'maxBytes', 'destination', 'signal'),
          anyValue,
          async (part, value) => {
            if (part === 'path') await outcome(() => client.fetch(NAME, value as string));
            else if (part === 'init') await outcome(() => client.fetch(NAME, '/', value as never));
            else await outcome(() => client.fetch(NAME, '/', { [part]: value }));
          },
        ),
        { numRuns: RUNS * 3 },
      );
    } finally {
      await client.close();
    }
  });

  it('client.requestTarget (target, path, init): a response or a stable code, never a connection for a bad argument', async () => {
    // A loopback port nothing listens on: a well-formed request is refused at once.
    const closed: ResolvedTarget = {
      step: '6',
      ip: '127.0.0.1',
      port: 1,
      hostHeader: 'example.org',
      tlsServerName: 'example.org',
      sni: 'example.org',
      addressOf: 'example.org',
      srv: null,
    };
    const client = createFederationClient({ dns });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('target', 'path', 'init', 'ip', 'port', 'sni'),
          anyValue,
          async (part, value) => {
            if (part === 'target') await outcome(() => client.requestTarget(value as ResolvedTarget, '/'));
            else if (part === 'path') await outcome(() => client.requestTarget(closed, value as string));
            else if (part === 'init') await outcome(() => client.requestTarget(closed, '/', value as never));
            else await outcome(() => client.requestTarget({ ...closed, [part]: value }, '/'));
          },
        ),
        { numRuns: RUNS * 2 },
      );
    } finally {
      await client.close();
    }
  });
});
