// Wall-clock limits in unit tests. They do not hold for code that Stryker instruments (every
// branch counts its hits, and the run shares the machine), so mutation runs
// (vitest.stryker.config.ts sets SAMLSCOPE_MUTATION) skip the limit and keep every other assertion
// of the test; there, speed is bench/'s business.
import { expect } from 'vitest';

export const WALL_CLOCK_LIMITS = !process.env.SAMLSCOPE_MUTATION;

/** Asserts that `ms` is under `limit` milliseconds, except in a mutation run. */
export function expectUnder(ms: number, limit: number, message?: string): void {
  if (WALL_CLOCK_LIMITS) expect(ms, message).toBeLessThan(limit);
}
