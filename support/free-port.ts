// A TCP port that nothing listens on now, for the tests, the soak and the benchmarks that start servers of their own.

import { createServer } from 'node:net';

/** A port that was free a moment ago on `host` (a moment later someone might take it: fine for a test). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
