import { defineConfig } from 'vitest/config';

// Unit tests and lab tests run in parallel files; the lab allocates its own loopback addresses
// so that two labs in two workers never collide (see CONTRIBUTING.md).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The developer's LANG / LC_ALL must not change what commands print (test/setup-locale.ts).
    setupFiles: ['test/setup-locale.ts'],
    pool: 'forks',
    // Most lab tests wait on sockets and timers, not the CPU: more workers than cores keeps both cores busy.
    poolOptions: { forks: { maxForks: 3, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
