// Synapse's signing key file: parsed as signedjson reads it (files written by python3-signedjson), errors that never show the seed.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMatrixDelegationError } from '../../src/errors.js';
import { decodeBase64, encodeUnpaddedBase64 } from '../../src/keys/base64.js';
import { loadSigningKey, parseSigningKey, parseSigningKeys, SigningKey } from '../../src/keys/signing-key.js';
import { runSignedJson } from '../client/signedjson.js';

// Spec appendix "Cryptographic Test Vectors": the seed, and the signature of `{}` by it.
const SPEC_SEED = 'YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1';
const SIG_EMPTY = 'K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-signing-key-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('did not reject');
    },
    (error: unknown) => error,
  );
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('parseSigningKey', () => {
  it('reads the spec seed as key "ed25519:1" and signs {} as the spec appendix says', () => {
    const key = parseSigningKey(`ed25519 1 ${SPEC_SEED}\n`);
    expect(key.keyId).toBe('ed25519:1');
    expect(key.version).toBe('1');
    expect(encodeUnpaddedBase64(key.sign(new TextEncoder().encode('{}')))).toBe(SIG_EMPTY);
  });

  it('reads a key file written by python3-signedjson (write_signing_keys), with the public key signedjson derives', async () => {
    const [generated] = (await runSignedJson([{ op: 'generate', version: 'a_AbC1' }])) as [
      { file: string; publicKey: string },
    ];
    const path = join(dir, 'homeserver.signing.key');
    writeFileSync(path, generated.file);
    const key = await loadSigningKey(path);
    expect(key.keyId).toBe('ed25519:a_AbC1');
    expect(key.publicKeyBase64).toBe(generated.publicKey);
    expect(key.toFileLine() + '\n').toBe(generated.file);
  });

  it('reads every key of a file (tabs, CRLF, blank lines, comments); parseSigningKey returns the first', () => {
    const other = encodeUnpaddedBase64(new Uint8Array(32).fill(7));
    const text = `# keys\r\n\r\ned25519\ta_1\t${SPEC_SEED}\r\n  ed25519 b_2 ${other}  \r\n`;
    expect(parseSigningKeys(text).map((k) => k.keyId)).toEqual(['ed25519:a_1', 'ed25519:b_2']);
    expect(parseSigningKey(text).keyId).toBe('ed25519:a_1');
    // A padded seed is accepted too ("decoders SHOULD accept padding").
    expect(parseSigningKey(`ed25519 p ${SPEC_SEED}=`).publicKeyBase64).toBe(
      parseSigningKey(`ed25519 p ${SPEC_SEED}`).publicKeyBase64,
    );
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '# nothing\n\n'],
    ['two fields', `ed25519 ${SPEC_SEED}`],
    ['four fields', `ed25519 1 ${SPEC_SEED} extra`],
    ['another algorithm', `rsa 1 ${SPEC_SEED}`],
    ['a version with a dash', `ed25519 a-1 ${SPEC_SEED}`],
    ['the seed in the version column', `ed25519 ${SPEC_SEED} ${SPEC_SEED}`],
    ['a seed that is not base64', `ed25519 1 ${SPEC_SEED.slice(0, 40)}!!!`],
    ['a 31-byte seed', `ed25519 1 ${encodeUnpaddedBase64((decodeBase64(SPEC_SEED) as Uint8Array).subarray(0, 31))}`],
    ['a 33-byte seed', `ed25519 1 ${SPEC_SEED}AA`],
  ])('%s: INVALID_ARGUMENT, and the message never shows the seed', (_what, text) => {
    const error = thrown(() => parseSigningKey(text));
    expect(isMatrixDelegationError(error, 'INVALID_ARGUMENT')).toBe(true);
    const message = (error as Error).message;
    expect(message).not.toContain(SPEC_SEED.slice(0, 12));
    expect(message.length).toBeGreaterThan(10);
  });

  it('never shows the seed when logged or serialised; exportSeed gives it on purpose', () => {
    const key = parseSigningKey(`ed25519 1 ${SPEC_SEED}`);
    const seedHex = Buffer.from(decodeBase64(SPEC_SEED) as Uint8Array).toString('hex');
    for (const shown of [
      JSON.stringify(key),
      inspect(key, { showHidden: true, depth: 5 }),
      String(Object.keys(key)),
      JSON.stringify({ ...key }),
    ]) {
      expect(shown).not.toContain(SPEC_SEED.slice(0, 12));
      expect(shown).not.toContain(seedHex.slice(0, 16));
    }
    // The spec's seed text has non-zero leftover bits: compare the bytes.
    expect(key.exportSeed()).toEqual(decodeBase64(SPEC_SEED));
  });

  it('the constructor refuses a bad version or a seed that is not 32 bytes', () => {
    expect(
      isMatrixDelegationError(
        thrown(() => new SigningKey('a b', new Uint8Array(32))),
        'INVALID_ARGUMENT',
      ),
    ).toBe(true);
    expect(
      isMatrixDelegationError(
        thrown(() => new SigningKey('a', new Uint8Array(31))),
        'INVALID_ARGUMENT',
      ),
    ).toBe(true);
  });
});

describe('loadSigningKey', () => {
  it('a missing file, a directory and /dev/zero: INVALID_ARGUMENT naming the file, at once', async () => {
    for (const path of [join(dir, 'missing.key'), dir, '/dev/zero']) {
      const error = await rejection(loadSigningKey(path));
      expect(isMatrixDelegationError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect((error as Error).message).toContain(path);
    }
  });

  it('a malformed file: the message names the file and the line, not the seed', async () => {
    const path = join(dir, 'bad.key');
    writeFileSync(path, `\ned25519 1 ${SPEC_SEED.slice(0, 30)}\n`);
    const error = await rejection(loadSigningKey(path));
    expect(isMatrixDelegationError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toContain(`${path}, line 2`);
    expect((error as Error).message).not.toContain(SPEC_SEED.slice(0, 12));
  });
});
