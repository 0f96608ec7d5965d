// The signing API as a TypeScript user gets it: every name from `matrix-delegation/client` and the root, the same objects.

import { describe, expect, it } from 'vitest';
import * as clientEntry from '../../src/client/index.js';
import type {
  FederationFetchResponse,
  FederationRequestVerification,
  GetVerifyKeyOptions,
  NotaryServer,
  RequestAuthCode,
  RequestSigner,
  ServerKeyResolver,
  ServerKeyResolverOptions,
  SignFederationRequestOptions,
  VerifyKeyLookup,
  VerifyKeySource,
  XMatrixCredentials,
} from '../../src/client/index.js';
import * as root from '../../src/index.js';

const NAMES = [
  'createFederationClient',
  'federationFetch',
  'FederationFetchResponse',
  'loadSigningKey',
  'parseSigningKey',
  'parseSigningKeys',
  'SigningKey',
  'signFederationRequest',
  'federationRequestSigningBytes',
  'parseXMatrixAuthorization',
  'formatXMatrixAuthorization',
  'verifyFederationRequest',
  'REQUEST_AUTH_CODES',
  'createServerKeyResolver',
  'VERIFY_KEY_LOOKUP_CODES',
  'readServerKeysDocument',
  'checkNotarySignature',
] as const;

describe('exports', () => {
  it.each(NAMES)('%s is exported from matrix-delegation/client and from the root, as the same object', (name) => {
    const fromClient = (clientEntry as Record<string, unknown>)[name];
    expect(fromClient).toBeDefined();
    expect((root as Record<string, unknown>)[name]).toBe(fromClient);
  });

  it('the types are usable together', async () => {
    const key = new clientEntry.SigningKey('t', new Uint8Array(32).fill(1));
    const signer: RequestSigner = key;
    const options: SignFederationRequestOptions = {
      origin: 'a.example',
      destination: 'b.example',
      method: 'GET',
      uri: '/x',
      signingKey: signer,
    };
    const header = clientEntry.signFederationRequest(options);
    const parsed = clientEntry.parseXMatrixAuthorization(header);
    const credentials: readonly XMatrixCredentials[] = parsed.ok ? parsed.credentials : [];
    const source: VerifyKeySource = {
      getVerifyKey: (serverName: string, keyId: string, _options?: GetVerifyKeyOptions): Promise<VerifyKeyLookup> =>
        Promise.resolve({
          ok: true,
          serverName,
          keyId,
          publicKey: key.publicKey,
          validUntilTs: Date.now() + 1000,
          old: false,
          source: 'cache',
        }),
    };
    const result: FederationRequestVerification = await clientEntry.verifyFederationRequest({
      authorization: header,
      method: 'GET',
      uri: '/x',
      destination: 'b.example',
      keyResolver: source,
    });
    const code: RequestAuthCode | null = result.ok ? null : result.code;
    const notary: NotaryServer = { serverName: 'notary.example' };
    const resolverOptions: Partial<ServerKeyResolverOptions> = { notaryServers: [notary] };
    const resolver: ServerKeyResolver | null = null;
    const response: FederationFetchResponse | null = null;
    expect([credentials.length, code, resolverOptions.notaryServers?.length, resolver, response]).toEqual([
      1,
      null,
      1,
      null,
      null,
    ]);
  });
});
