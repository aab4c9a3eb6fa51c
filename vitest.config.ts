import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Two groups, one after the other:
// - the unit tests, two files at a time (vitest's default is one worker on a two-core machine:
//   every file ran alone, and importing lib/ again for each of ~120 files cost more than half
//   of their time);
// - then the browser tests, one file at a time and with the machine to themselves: each drives
//   a real Chromium against the lab, and one file's managed policy (test/e2e/policy.test.ts)
//   applies to every browser that loads the same build.
export default defineConfig({
  plugins: [WxtVitest(), preact()],
  test: {
    globalSetup: ['test/global-setup.ts'],
    server: { deps: { inline: ['zustand'] } },
    testTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
