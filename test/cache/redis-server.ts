// Test helper: a throwaway redis-server; it lives in support/ since the soak uses it too.

export { REDIS_SERVER_BINARY, startRedisServer } from '../../support/redis-server.js';
export type { StartRedisOptions, TestRedisServer } from '../../support/redis-server.js';
