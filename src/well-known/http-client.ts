// The well-known fetch's HTTP client, undici's Client, in a module of its own so that the fetch can load it on first use.

import { createRequire } from 'node:module';
import type { Client as UndiciClient } from 'undici';

// undici's index loads the whole of undici (fetch, WebSocket, caches, mocks, interceptors): about 65 ms on the
// reference machine, paid by every one-shot command before its first well-known fetch. The Client and the request API
// alone load in about 21 ms. The index attaches the request API (`request`, `stream`, ...) to the dispatchers'
// prototype; the same assignment is made here (a later load of the index assigns the same functions again).
// `createRequire(import.meta.url)(...)` is what the CLI bundle turns into a bundled `require` (scripts/build.ts).
// test/package/module-loads.test.ts proves a fetch through this Client, in the library and in the bundle.
const Dispatcher = createRequire(import.meta.url)('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
Object.assign(Dispatcher.prototype, createRequire(import.meta.url)('undici/lib/api/index.js') as object);

/** undici's HTTP/1.1 client for one origin, with its request API. */
export const Client = createRequire(import.meta.url)('undici/lib/dispatcher/client.js') as typeof UndiciClient;
