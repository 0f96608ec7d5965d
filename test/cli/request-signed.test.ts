// `request --origin --signing-key [--data | --data-file]`: signed requests from the command line, checked by a lab server
// running verifyFederationRequest; --json adds the Authorization sent (never the key); usage errors never show the seed.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFederationClient, type FederationClient } from '../../src/client/federation-client.js';
import { createServerKeyResolver, type ServerKeyResolver } from '../../src/client/server-key-resolver.js';
import { verifyFederationRequest } from '../../src/client/verify-request.js';
import { encodeUnpaddedBase64 } from '../../src/keys/base64.js';
import { signJson } from '../../src/keys/ed25519.js';
import { SigningKey } from '../../src/keys/signing-key.js';
import { startLab, type Lab, type LabRequest, type LabResponse } from '../../src/testing/index.js';
import { labCliFlags, runCapture as run } from './run-cli.js';

const key = new SigningKey(
  'a_CLI',
  new Uint8Array(32).map((_, i) => i * 7 + 3),
);
const SEED_TEXT = encodeUnpaddedBase64(key.exportSeed());

let lab: Lab;
let dir: string;
let caFile: string;
let keyFile: string;
let verifierClient: FederationClient;
let verifierKeys: ServerKeyResolver;

async function verifying(request: LabRequest): Promise<LabResponse> {
  const content = request.body.length > 0 ? (JSON.parse(request.body.toString('utf8')) as unknown) : undefined;
  const result = await verifyFederationRequest({
    authorization: request.headers.authorization,
    method: request.method,
    uri: request.path,
    destination: 'dest.example',
    keyResolver: verifierKeys,
    ...(content !== undefined ? { content } : {}),
  });
  return { status: result.ok ? 200 : 401, json: { ...result, method: request.method, content: content ?? null } };
}

beforeAll(async () => {
  lab = await startLab({
    zones: { 'dest.example': { A: ['dest'] }, 'origin.example': { A: ['origin'] } },
    hosts: {
      dest: {
        port: 'federation',
        routes: { '/verify': verifying },
        fallback: (req) => ({ json: { headers: req.headers } }),
      },
      origin: {
        port: 'federation',
        routes: {
          'GET /_matrix/key/v2/server': () => ({
            json: signJson(
              {
                server_name: 'origin.example',
                valid_until_ts: Date.now() + 3_600_000,
                verify_keys: { [key.keyId]: { key: key.publicKeyBase64 } },
              },
              'origin.example',
              key.keyId,
              key.exportSeed(),
            ),
          }),
        },
      },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'md-cli-signed-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, lab.caCertPem);
  keyFile = join(dir, 'homeserver.signing.key');
  writeFileSync(keyFile, `${key.toFileLine()}\n`, { mode: 0o600 });
  verifierClient = createFederationClient({ ...lab.clientOptions(), connectTimeoutMs: 3000, requestTimeoutMs: 3000 });
  verifierKeys = createServerKeyResolver({ client: verifierClient });
});

afterAll(async () => {
  await verifierKeys?.close();
  await verifierClient?.close();
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const signingFlags = (): string[] => ['--origin', 'origin.example', '--signing-key', keyFile];

describe('request, signed', () => {
  it('--json: the request verifies, and the output is { target, status, headers, body } plus the authorization sent, never the key', async () => {
    const r = await run([
      'request',
      'dest.example',
      '/verify',
      ...signingFlags(),
      '--json',
      ...labCliFlags(lab, caFile),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(['authorization', 'body', 'headers', 'status', 'target']);
    expect(doc['body']).toMatchObject({ ok: true, origin: 'origin.example', keyId: 'ed25519:a_CLI', method: 'GET' });
    expect(doc['authorization']).toMatch(
      /^X-Matrix origin="origin\.example",destination="dest\.example",key="ed25519:a_CLI",sig="[A-Za-z0-9+/]{86}"$/,
    );
    expect(r.stdout).not.toContain(SEED_TEXT.slice(0, 16));
  });

  it('--data: a JSON body, POST by default, signed with the body; --method PUT and --data-file too', async () => {
    const post = await run([
      'request',
      'dest.example',
      '/verify',
      ...signingFlags(),
      '--data',
      '{"b":[1,"é"],"a":null}',
      '--json',
      ...labCliFlags(lab, caFile),
    ]);
    expect(post.code).toBe(0);
    expect((JSON.parse(post.stdout) as { body: unknown }).body).toMatchObject({
      ok: true,
      method: 'POST',
      content: { b: [1, 'é'], a: null },
    });
    const dataFile = join(dir, 'body.json');
    writeFileSync(dataFile, '{"pdus": [], "edus": []}\n');
    const put = await run([
      'request',
      'dest.example',
      '/verify',
      ...signingFlags(),
      '--method',
      'put',
      '--data-file',
      dataFile,
      ...labCliFlags(lab, caFile),
    ]);
    expect(put.code).toBe(0);
    expect(JSON.parse(put.stdout)).toMatchObject({ ok: true, method: 'PUT', content: { pdus: [], edus: [] } });
  });

  it('without --signing-key nothing is signed: no Authorization header, no authorization in --json', async () => {
    const r = await run(['request', 'dest.example', '/echo', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { body: { headers: Record<string, string> } };
    expect(Object.keys(doc).sort()).toEqual(['body', 'headers', 'status', 'target']);
    expect(doc.body.headers['authorization']).toBeUndefined();
    const refused = await run(['request', 'dest.example', '/verify', ...labCliFlags(lab, caFile)]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, code: 'AUTH_MISSING' });
  });

  it('usage errors (exit 2, INVALID_ARGUMENT): one of --origin / --signing-key alone, --data with --data-file, --data not JSON', async () => {
    const flags = labCliFlags(lab, caFile);
    for (const argv of [
      ['--origin', 'origin.example'],
      ['--signing-key', keyFile],
      [...signingFlags(), '--data', '{}', '--data-file', keyFile],
      ['--data', '{not json'],
      ['--data-file', join(dir, 'missing.json')],
    ]) {
      const r = await run(['request', 'dest.example', '/verify', ...argv, ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error INVALID_ARGUMENT: /m);
    }
    lab.hosts['dest']?.resetCounters();
    const badOrigin = await run([
      'request',
      'dest.example',
      '/verify',
      '--origin',
      'not a name',
      '--signing-key',
      keyFile,
      ...flags,
    ]);
    expect(badOrigin.code).toBe(2);
    expect(badOrigin.stderr).toMatch(/^error INVALID_SERVER_NAME: /m);
    expect(lab.hosts['dest']?.requestCount).toBe(0);
  });

  it('a signing key file that is missing or malformed: exit 2, the file named, the seed never shown', async () => {
    const bad = join(dir, 'bad.key');
    // The seed pasted with a character missing, and with the columns swapped.
    for (const text of [`ed25519 a_1 ${SEED_TEXT.slice(1)}`, `ed25519 ${SEED_TEXT} a_1`, SEED_TEXT]) {
      writeFileSync(bad, `${text}\n`);
      const r = await run([
        'request',
        'dest.example',
        '/verify',
        '--origin',
        'origin.example',
        '--signing-key',
        bad,
        ...labCliFlags(lab, caFile),
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(bad);
      expect(r.stderr + r.stdout).not.toContain(SEED_TEXT.slice(2, 18));
    }
    const missing = await run([
      'request',
      'dest.example',
      '/verify',
      '--origin',
      'origin.example',
      '--signing-key',
      join(dir, 'nope.key'),
      ...labCliFlags(lab, caFile),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error INVALID_ARGUMENT: cannot read the signing key file /m);
  });
});
