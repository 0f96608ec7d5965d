// The routes of a working lab homeserver (version, and keys signed for the name it is asked as): for the tests and the soak.

import { buildSignedKeyResponse } from '../src/keys/index.js';
import type { Ed25519Seed } from '../src/keys/index.js';
import type { LabHostSpec, LabRequest } from '../src/testing/index.js';

/** Options of {@link labHomeserverRoutes}. */
export interface LabHomeserverOptions {
  /** The signing key's seed. */
  readonly seed: Ed25519Seed;
  /** The key id, `ed25519:...`. */
  readonly keyId: string;
  /** How long the version endpoint waits before it answers, in milliseconds [0]. */
  readonly versionDelayMs?: number;
}

/**
 * A lab host's routes that answer as Synapse 1.140.0: `/_matrix/federation/v1/version`, and `/_matrix/key/v2/server`
 * signed for the name in the request's Host header (without its port), valid a day from the request. One lab host
 * can so stand for many server names.
 *
 * @example
 * ```ts
 * const lab = await startLab({ hosts: { hs: { routes: labHomeserverRoutes({ seed, keyId: 'ed25519:a' }) } }, zones });
 * ```
 */
export function labHomeserverRoutes(options: LabHomeserverOptions): NonNullable<LabHostSpec['routes']> {
  return {
    'GET /_matrix/federation/v1/version': {
      json: { server: { name: 'Synapse', version: '1.140.0' } },
      delayMs: options.versionDelayMs ?? 0,
    },
    'GET /_matrix/key/v2/server': (req: LabRequest) => ({
      json: buildSignedKeyResponse({
        serverName: (req.host ?? '').replace(/:\d+$/, ''),
        keyId: options.keyId,
        seed: options.seed,
        validUntilTs: Date.now() + 86_400_000,
      }),
    }),
  };
}
