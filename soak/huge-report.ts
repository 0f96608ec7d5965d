// A server name built to make huge check reports (32 addresses, every remote string as large as its limit allows), and cache-hit floods of it.

import { randomInt } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { encodeUnpaddedBase64 } from '../src/keys/base64.js';
import { ed25519PublicKeyFromSeed, signJson } from '../src/keys/ed25519.js';
import { generateEd25519Seed } from '../src/keys/index.js';
import type { CheckOptions } from '../src/checker/types.js';
import { startLab } from '../src/testing/index.js';
import type { Lab, LabHostSpec } from '../src/testing/index.js';

/** The name every hostile answer is about. */
export const HUGE_NAME = 'huge.example.org';

/** Addresses of {@link HUGE_NAME}: the checker's own cap (`maxAddresses`, 32). */
export const HUGE_ADDRESSES = 32;

/** What each address serves, in sizes (issue 13: "version bodies ~500 KB"). */
export const HUGE_SIZES = Object.freeze({
  /** `server.name` and `server.version` of the version answer, in characters (the body stays under the checker's 512 KiB). */
  versionName: 400_000,
  version: 100_000,
  /** Keys in `verify_keys`, each with a long id. */
  keys: 2000,
  /** Names in each certificate's subjectAltName. */
  certificateNames: 200,
  /** `m.server` of the server well-known (the well-known fetch reads 51 200 bytes at most). */
  mServer: 40_000,
  /** Entries of `/_matrix/client/versions` (the client check reads 1 MiB at most). */
  clientVersions: 14_000,
  /** Contacts of the support document (51 200 bytes at most). */
  contacts: 200,
});

/** The lab serving {@link HUGE_NAME}. */
export interface HugeReportLab {
  readonly lab: Lab;
  /** Checker options: the lab's DNS, CA and ports, and its addresses allowed. */
  checkOptions(): CheckOptions;
  close(): Promise<void>;
}

/**
 * Starts the lab: {@link HUGE_NAME} has 32 A records; each address serves, on the federation port, a version
 * answer of 500 KB (a 400 KB `server.name`, a 100 KB `server.version`) with an 8 KB Content-Type, a key response of
 * 2000 keys with 160-character ids (about 450 KB), and a certificate with 200 names; on the HTTPS port a server
 * well-known with a 40 KB `m.server`, a client well-known pointing at itself whose `/versions` lists 14 000
 * versions (about 900 KB), and a support document with 250 contacts.
 */
export async function startHugeReportLab(): Promise<HugeReportLab> {
  const base = `127.${randomInt(200, 250)}.${randomInt(0, 256)}`;
  const addresses = Array.from({ length: HUGE_ADDRESSES }, (_, i) => `${base}.${i + 1}`);
  const seed = generateEd25519Seed();
  const publicKey = encodeUnpaddedBase64(ed25519PublicKeyFromSeed(seed));
  const versionName = 'n'.repeat(HUGE_SIZES.versionName);
  const version = 'v'.repeat(HUGE_SIZES.version);
  const verifyKeys = Object.fromEntries(
    Array.from({ length: HUGE_SIZES.keys }, (_, i) => [`ed25519:${'k'.repeat(150)}${i}`, { key: publicKey }]),
  );
  const keyResponse = signJson(
    { server_name: HUGE_NAME, valid_until_ts: Date.now() + 86_400_000, verify_keys: verifyKeys },
    HUGE_NAME,
    `ed25519:${'k'.repeat(150)}0`,
    seed,
  );
  const certificateNames = [
    HUGE_NAME,
    ...Array.from({ length: HUGE_SIZES.certificateNames - 1 }, (_, i) => `n${i}-${'x'.repeat(50)}.example.org`),
  ];
  let httpsPort = 0;
  const hosts: Record<string, LabHostSpec> = {};
  addresses.forEach((address, i) => {
    hosts[`federation${i}`] = {
      address,
      port: 'federation',
      certificates: [{ dnsNames: certificateNames, commonName: `${'c'.repeat(60)}.example.org` }],
      routes: {
        'GET /_matrix/federation/v1/version': {
          json: { server: { name: versionName, version } },
          headers: { 'content-type': `application/json; x=${'y'.repeat(8000)}` },
        },
        'GET /_matrix/key/v2/server': { json: keyResponse },
      },
    };
    hosts[`web${i}`] = {
      address,
      port: 'https',
      routes: {
        'GET /.well-known/matrix/server': { json: { 'm.server': `m${'s'.repeat(HUGE_SIZES.mServer)}` } },
        'GET /.well-known/matrix/client': () => ({
          json: { 'm.homeserver': { base_url: `https://${HUGE_NAME}:${httpsPort}` }, ...extraKeys() },
          headers: { 'access-control-allow-origin': '*' },
        }),
        'GET /_matrix/client/versions': {
          json: { versions: Array.from({ length: HUGE_SIZES.clientVersions }, (_, n) => `v1.${n}-${'z'.repeat(50)}`) },
        },
        'GET /.well-known/matrix/support': {
          json: {
            contacts: Array.from({ length: HUGE_SIZES.contacts }, (_, n) => ({
              role: 'm.role.admin',
              matrix_id: `@${'a'.repeat(150)}${n}:${HUGE_NAME}`,
            })),
          },
        },
      },
    };
  });
  const lab = await startLab({ zones: { [HUGE_NAME]: { A: addresses } }, hosts });
  httpsPort = lab.ports.https;
  return {
    lab,
    checkOptions: () => ({
      ...lab.clientOptions(),
      allowNetworks: addresses.map((a) => `${a}/32`),
      operationTimeoutMs: 20_000,
    }),
    close: () => lab.close(),
  };
}

/** 300 extra keys in the client document (each a 100-character name). */
function extraKeys(): Record<string, string> {
  return Object.fromEntries(Array.from({ length: 300 }, (_, n) => [`org.example.${'e'.repeat(100)}${n}`, 'x']));
}

/** What {@link cacheHitFlood} saw. */
export interface CacheHitFlood {
  readonly requests: number;
  readonly statuses: ReadonlyMap<number, number>;
  /** Response body bytes received, all requests together. */
  readonly bytes: number;
  /** Largest body of a 200 answer. */
  readonly largestBody: number;
  /** `/.well-known/matrix/server` latencies sampled meanwhile (another client), in milliseconds. */
  readonly wellKnownMs: readonly number[];
  readonly durationS: number;
}

/** Options of {@link cacheHitFlood}. */
export interface CacheHitFloodOptions {
  /** The tester's base URL (`http://127.0.0.1:PORT/`). */
  readonly baseUrl: string;
  /** Requests for the cached name, `concurrency` at a time (each waits for its whole answer). */
  readonly requests: number;
  readonly concurrency: number;
  /** The flooding client's source address, or several (worker `i` uses the `i`-th, round robin): one client each. */
  readonly localAddress: string | readonly string[];
  /** API path [api/check]. */
  readonly path?: string;
  /** Between two well-known samples of the other client [20 ms]. */
  readonly sampleIntervalMs?: number;
}

/** One GET, counting the body bytes without keeping them (a 16 MB answer is read as it comes). */
function getCounting(
  url: URL,
  agent: Agent | false,
  localAddress?: string,
): Promise<{ status: number; bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(url, { agent, ...(localAddress ? { localAddress } : {}), timeout: 120_000 }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.byteLength));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 120 s')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Clients ask for the (already cached) report of {@link HUGE_NAME} `requests` times, `concurrency` at a time
 * (from one source address, or one per worker), while another client (127.0.0.1) fetches
 * `/.well-known/matrix/server` over and over, one at a time, over one keep-alive connection.
 */
export async function cacheHitFlood(options: CacheHitFloodOptions): Promise<CacheHitFlood> {
  const started = performance.now();
  const url = new URL(`${options.path ?? 'api/check'}?server_name=${HUGE_NAME}`, options.baseUrl);
  const statuses = new Map<number, number>();
  let bytes = 0;
  let largestBody = 0;
  let next = 0;
  let flooding = true;
  const wellKnownMs: number[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sampler = (async () => {
    while (flooding) {
      const answer = await getCounting(new URL('.well-known/matrix/server', options.baseUrl), agent).catch(() => null);
      if (answer !== null) wellKnownMs.push(answer.ms);
      await new Promise((resolve) => setTimeout(resolve, options.sampleIntervalMs ?? 20));
    }
  })();
  const addresses = typeof options.localAddress === 'string' ? [options.localAddress] : options.localAddress;
  const worker = async (_: unknown, index: number): Promise<void> => {
    const localAddress = addresses[index % addresses.length]!;
    while (next < options.requests) {
      next++;
      try {
        const answer = await getCounting(url, false, localAddress);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        bytes += answer.bytes;
        if (answer.status === 200) largestBody = Math.max(largestBody, answer.bytes);
      } catch {
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  flooding = false;
  await sampler;
  agent.destroy();
  return {
    requests: options.requests,
    statuses,
    bytes,
    largestBody,
    wellKnownMs,
    durationS: (performance.now() - started) / 1000,
  };
}
