// Benchmark: X-Matrix request signatures signed and verified per second, next to raw ed25519 (crypto.sign / crypto.verify).

import { createPublicKey, sign, verify } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { VerifyKeyLookup, VerifyKeySource } from '../src/client/server-key-resolver.js';
import { federationRequestSigningBytes, signFederationRequest } from '../src/client/sign-request.js';
import { verifyFederationRequest } from '../src/client/verify-request.js';
import { decodeBase64 } from '../src/keys/base64.js';
import { ed25519PrivateKeyObject } from '../src/keys/ed25519.js';
import { SigningKey } from '../src/keys/signing-key.js';
import { cpuModel, median, numberOption, runAsScript } from './_shared.js';

const ORIGIN = 'origin.example.org';
const DESTINATION = 'destination.example.org';

/** A transaction-like body of about `bytes` bytes of JSON (the content a PUT /send carries). */
function content(bytes: number): unknown {
  const edus: unknown[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const edu = {
      edu_type: 'm.typing',
      content: { room_id: `!room${i}:example.org`, user_id: `@user${i}:origin.example.org`, typing: i % 2 === 0 },
    };
    edus.push(edu);
    size += JSON.stringify(edu).length + 1;
  }
  return { origin: ORIGIN, origin_server_ts: 1_700_000_000_000, pdus: [], edus };
}

/** One way measured: runs `n` operations, returns nanoseconds per operation. */
type Way = (n: number) => Promise<number>;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { rounds: { type: 'string' }, operations: { type: 'string' }, 'content-bytes': { type: 'string' } },
  });
  const rounds = numberOption('rounds', values.rounds, 15, { integer: true, sign: 'positive' });
  const operations = numberOption('operations', values.operations, 2000, { integer: true, sign: 'positive' });
  const contentBytes = numberOption('content-bytes', values['content-bytes'], 1024, {
    integer: true,
    sign: 'non-negative',
  });

  const key = new SigningKey('bench', new Uint8Array(32).fill(5));
  const privateKey = ed25519PrivateKeyObject(key.exportSeed());
  const publicKey = createPublicKey(privateKey);
  const request = {
    method: 'PUT',
    uri: '/_matrix/federation/v1/send/1700000000000',
    destination: DESTINATION,
    ...(contentBytes > 0 ? { content: content(contentBytes) } : {}),
  };
  const bytes = federationRequestSigningBytes({ ...request, origin: ORIGIN });
  const authorization = signFederationRequest({ ...request, origin: ORIGIN, signingKey: key });
  const rawSignature = sign(null, bytes, privateKey);
  // The key source a resolver's cache hit amounts to: an answer at once, no network.
  const found: VerifyKeyLookup = {
    ok: true,
    serverName: ORIGIN,
    keyId: key.keyId,
    publicKey: decodeBase64(key.publicKeyBase64) as Uint8Array,
    validUntilTs: Number.MAX_SAFE_INTEGER,
    old: false,
    source: 'cache',
  };
  const keys: VerifyKeySource = { getVerifyKey: () => Promise.resolve(found) };
  const check = await verifyFederationRequest({ authorization, ...request, keyResolver: keys });
  if (!check.ok) throw new Error(`the benchmark's own request does not verify: ${check.code}`);

  const timed = async (n: number, op: () => unknown): Promise<number> => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) await op();
    return Number(process.hrtime.bigint() - started) / n;
  };
  const ways: Record<string, Way> = {
    // Raw: ed25519 over bytes already encoded, with KeyObjects already built (the floor).
    'raw sign': (n) => timed(n, () => sign(null, bytes, privateKey)),
    // Ours: canonical JSON of the request, ed25519, base64, the header.
    signFederationRequest: (n) =>
      timed(n, () => signFederationRequest({ ...request, origin: ORIGIN, signingKey: key })),
    'raw verify': (n) => timed(n, () => verify(null, bytes, publicKey, rawSignature)),
    // Ours: parse the header, look the key up (a cache hit), canonical JSON, base64, ed25519 from the raw key bytes.
    verifyFederationRequest: (n) =>
      timed(n, () => verifyFederationRequest({ authorization, ...request, keyResolver: keys })),
  };
  const names = Object.keys(ways);
  for (const name of names) await (ways[name] as Way)(Math.max(1, Math.floor(operations / 4)));
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round += 1) {
    // Alternated: each round runs every way, in an order reversed every other round, so drift touches them alike.
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) samples[name]?.push(await (ways[name] as Way)(operations));
  }
  const ratio = (a: string, b: string): number =>
    median((samples[a] ?? []).map((x, i) => x / (samples[b]?.[i] ?? Number.NaN)).sort((x, y) => x - y));
  process.stdout.write(
    `signing: ${operations} operations a round, ${rounds} rounds, request content ${contentBytes} bytes (signed JSON ${bytes.length} bytes); Node ${process.version}, ${cpuModel()}\n`,
  );
  for (const name of names) {
    const ns = median([...(samples[name] ?? [])].sort((x, y) => x - y));
    process.stdout.write(
      `  ${name.padEnd(24)} ${(1e9 / ns).toFixed(0).padStart(7)} per second (${(ns / 1000).toFixed(1)} µs each, median)\n`,
    );
  }
  process.stdout.write(
    `  signFederationRequest / raw sign: ${ratio('signFederationRequest', 'raw sign').toFixed(2)}x the time   ` +
      `verifyFederationRequest / raw verify: ${ratio('verifyFederationRequest', 'raw verify').toFixed(2)}x the time (median of pairwise ratios)\n`,
  );
  return 0;
}

runAsScript(import.meta.url, main, { name: 'signing', watchdogMs: 300_000 });
