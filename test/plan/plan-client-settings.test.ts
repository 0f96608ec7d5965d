// `plan --jitsi-domain --e2ee-default --livekit-service-url`: the client settings in one step, served by `serve` and
// read back by our own checker and by matrix-js-sdk's AutoDiscovery (issue 21).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoDiscoveryAction } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkClientDocument } from '../../src/checker/client-document.js';
import { registerPlan } from '../../src/cli/commands/plan.js';
import { parseConfig, parseConfigOrThrow } from '../../src/config/index.js';
import { createDnsClient } from '../../src/dns/index.js';
import { isMatrixDelegationError } from '../../src/errors.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { buildPlan, createPlan } from '../../src/plan/index.js';
import type { PlanRequest } from '../../src/plan/index.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { startLab, type Lab } from '../../src/testing/index.js';
import { claimRandomLoopbackAddress, releaseLoopbackAddresses } from '../../src/testing/loopback.js';
import { captureLogger } from '../server/http-helpers.js';
import { labDiscovery, type LabDiscovery } from '../support/sdk-discovery.js';
import { runCommand } from './cli-harness.js';

/** What Synapse lists (matrix-js-sdk 37.5.0's AutoDiscovery needs one of v1.1 to v1.9). */
const VERSIONS = ['r0.6.1', 'v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6', 'v1.7', 'v1.8', 'v1.9', 'v1.10', 'v1.11'];
const SERVER_NAME = 'plan-settings.test';

let lab: Lab;
let address = '';
let server: RunningServer | undefined;
let discovery: LabDiscovery | undefined;
/** The lab certificate for the server name and its key, as files the plan's config names. */
let tlsDir = '';

/** `https://<host>` with the lab's HTTPS port when it is not 443. */
function url(host: string, path = ''): string {
  return `https://${host}${lab.ports.https === 443 ? '' : `:${lab.ports.https}`}${path}`;
}

function request(): PlanRequest {
  return {
    serverName: SERVER_NAME,
    homeserver: url(`matrix.${SERVER_NAME}`),
    jitsiDomain: `jitsi.${SERVER_NAME}`,
    e2eeDefault: false,
    // With a trailing slash, as people paste it: Element Call appends "/get_token" to the URL as written.
    livekitServiceUrl: url(`rtc.${SERVER_NAME}`, '/livekit/jwt/'),
    tlsCertificatePath: join(tlsDir, 'fullchain.pem'),
    tlsPrivateKeyPath: join(tlsDir, 'privkey.pem'),
  };
}

beforeAll(async () => {
  lab = await startLab({
    zones: {
      [`matrix.${SERVER_NAME}`]: { A: ['hs'] },
      [`jitsi.${SERVER_NAME}`]: { A: ['svc'] },
      [`rtc.${SERVER_NAME}`]: { A: ['svc'] },
    },
    hosts: {
      hs: {
        routes: {
          'GET /_matrix/client/versions': { json: { versions: VERSIONS } },
          // Synapse with msc4143_enabled: the endpoint is there, its list needs an access token.
          'GET /_matrix/client/unstable/org.matrix.msc4143/rtc/transports': {
            status: 401,
            json: { errcode: 'M_MISSING_TOKEN', error: 'Missing access token' },
          },
        },
        fallback: { status: 404, json: { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' } },
      },
      svc: {
        routes: {
          'GET /external_api.js': { body: 'var JitsiMeetExternalAPI;', headers: { 'content-type': 'text/javascript' } },
          'OPTIONS /livekit/jwt/get_token': {
            status: 200,
            headers: {
              'access-control-allow-origin': '*',
              'access-control-allow-methods': 'POST, OPTIONS',
              'access-control-allow-headers': 'Content-Type, Authorization',
            },
          },
        },
        fallback: { status: 404, body: 'not found' },
      },
    },
  });

  // The plan's config served by `serve` as it is (a lab certificate for the server name at the paths it names), but
  // for the listener: a loopback address of its own, on the lab's HTTPS port.
  const cert = await lab.ca.issue({ dnsNames: [SERVER_NAME] });
  tlsDir = mkdtempSync(join(tmpdir(), 'md-plan-settings-'));
  writeFileSync(join(tlsDir, 'fullchain.pem'), cert.fullChainPem);
  writeFileSync(join(tlsDir, 'privkey.pem'), cert.keyPem, { mode: 0o600 });
  const plan = await buildPlan(request(), null);
  address = claimRandomLoopbackAddress();
  const parsed = parseConfigOrThrow(plan.config, { sourceName: 'delegation.yaml' }).config;
  server = await startServer(
    { ...parsed, listeners: [{ port: lab.ports.https, bindAddresses: [address], tls: true }] },
    { logger: captureLogger('warn').logger },
  );
  lab.dns.setName(SERVER_NAME, { A: [address] });
  discovery = labDiscovery(lab, lab.ports.https);
});

afterAll(async () => {
  await server?.close({ timeoutMs: 0 });
  if (address !== '') releaseLoopbackAddresses([address]);
  await discovery?.close();
  await lab?.close();
  if (tlsDir !== '') rmSync(tlsDir, { recursive: true, force: true });
});

describe('plan writes the client settings', () => {
  it('in the client document, the config and the homeserver.yaml lines, each in the form clients read', async () => {
    const plan = await buildPlan(request(), null);
    const livekit = url(`rtc.${SERVER_NAME}`, '/livekit/jwt');
    expect(JSON.parse(plan.documents.client ?? 'null')).toEqual({
      'm.homeserver': { base_url: `${url(`matrix.${SERVER_NAME}`)}/` },
      'im.vector.riot.jitsi': { preferredDomain: `jitsi.${SERVER_NAME}` },
      'io.element.e2ee': { default: false },
      'org.matrix.msc4143.rtc_foci': [{ type: 'livekit', livekit_service_url: livekit }],
    });
    // The config loads without a warning (the settings pass the same validation as any config); lab certificates
    // live one day, hence their expiry notice.
    const loaded = parseConfig(plan.config);
    expect(loaded.ok && loaded.warnings.filter((w) => !/in less than 14 days/.test(w))).toEqual([]);
    // MSC4143's current form: the homeserver announces the same service.
    const synapse = parse(plan.synapse) as Record<string, unknown>;
    expect(synapse['experimental_features']).toEqual({ msc4143_enabled: true });
    expect(synapse['matrix_rtc']).toEqual({ transports: [{ type: 'livekit', livekit_service_url: livekit }] });
    expect(synapse['extra_well_known_client_content']).toMatchObject({ 'io.element.e2ee': { default: false } });
  });

  it('without the flags, nothing of them', async () => {
    const plan = await buildPlan({ serverName: SERVER_NAME, homeserver: url(`matrix.${SERVER_NAME}`) }, null);
    expect(Object.keys(JSON.parse(plan.documents.client ?? '{}') as object)).toEqual(['m.homeserver']);
    expect(plan.synapse).not.toContain('matrix_rtc');
  });

  it.each([
    ['jitsiDomain', { jitsiDomain: 'https://jitsi.example.com/' }, /--jitsi-domain/],
    ['livekitServiceUrl', { livekitServiceUrl: 'http://rtc.example.com/livekit/jwt' }, /--livekit-service-url/],
    ['livekitServiceUrl', { livekitServiceUrl: 'rtc.example.com' }, /--livekit-service-url/],
  ])('an unusable %s is INVALID_ARGUMENT naming the flag, before any probe', async (_, extra, flag) => {
    const error: unknown = await createPlan(
      { serverName: SERVER_NAME, homeserver: 'https://matrix.example.com', ...extra },
      { dnsServers: ['192.0.2.1'], operationTimeoutMs: 60_000 },
    ).catch((e: unknown) => e);
    expect(isMatrixDelegationError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect(String((error as Error).message)).toMatch(flag);
  });
});

describe('matrix-delegation plan with the settings flags', () => {
  const run = (argv: readonly string[]) =>
    runCommand((program, io, setExit) => registerPlan(program, io, setExit, null), argv);
  const base = ['plan', '--server-name', 'example.com', '--homeserver', 'https://matrix.example.com', '--no-probe'];

  it('--json carries the settings in the client document', async () => {
    const r = await run([
      ...base,
      '--jitsi-domain',
      'jitsi.example.com',
      '--e2ee-default',
      'true',
      '--livekit-service-url',
      'https://rtc.example.com/livekit/jwt',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const documents = (JSON.parse(r.stdout) as { documents: { client: string } }).documents;
    expect(JSON.parse(documents.client)).toMatchObject({
      'im.vector.riot.jitsi': { preferredDomain: 'jitsi.example.com' },
      'io.element.e2ee': { default: true },
      'org.matrix.msc4143.rtc_foci': [{ type: 'livekit', livekit_service_url: 'https://rtc.example.com/livekit/jwt' }],
    });
  });

  it.each([
    [['--e2ee-default', 'maybe'], /--e2ee-default/],
    [['--jitsi-domain', 'jitsi.example.com/meet'], /--jitsi-domain/],
    [['--livekit-service-url', 'ftp://rtc.example.com'], /--livekit-service-url/],
  ])('%j is a usage error (exit 2) naming the flag', async (flags, named) => {
    const r = await run([...base, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(named);
  });
});

describe("the plan's document, served by serve, works for clients", () => {
  it('our checker: clients find the homeserver, and every setting checks out (no settings problem at all)', async () => {
    const { dnsServers, ca } = lab.clientOptions();
    const report = await checkClientDocument(SERVER_NAME, {
      dns: createDnsClient({ servers: dnsServers }),
      policy: createAddressPolicy({ allowNetworks: ['127.0.0.0/8'] }),
      port: lab.ports.https,
      ca,
      timeoutMs: 3000,
    });
    expect(report.status).toBe('SUCCESS');
    expect(report.problems).toEqual([]);
    expect(report.settings?.problems).toEqual([]);
    expect(report.settings?.jitsi?.request?.httpStatus).toBe(200);
    expect(report.settings?.rtc?.foci[0]?.preflights[0]?.httpStatus).toBe(200);
    expect(report.settings?.rtc?.homeserver?.status).toBe('needs-sign-in');
  });

  it("matrix-js-sdk's AutoDiscovery: SUCCESS, the settings passed to the client as served", async () => {
    const config = await discovery!.find(SERVER_NAME);
    expect(config['m.homeserver']).toMatchObject({
      state: AutoDiscoveryAction.SUCCESS,
      error: null,
      base_url: url(`matrix.${SERVER_NAME}`),
    });
    expect(config['io.element.e2ee']).toEqual({ default: false });
    expect(config['org.matrix.msc4143.rtc_foci']).toEqual([
      { type: 'livekit', livekit_service_url: url(`rtc.${SERVER_NAME}`, '/livekit/jwt') },
    ]);
  });
});
