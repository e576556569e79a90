import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Engines train a classifier on start; files run in parallel on the two cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
