import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rebuilds dist/ when src/ is newer: the end-to-end suites spawn the built CLI.
    globalSetup: ['test/support/fresh-dist.ts'],
    // End-to-end tests spawn the built server; give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
