// The registry: every check, one line each. The directory is the spec: test/checks/registry.test.ts
// fails when a file in lib/checks is not registered here, has no test, or is not documented.
import type { Check } from './types.ts';
import { decodeError } from './decode-error.ts';
import { audienceMismatch } from './audience-mismatch.ts';
import { statusNotSuccess } from './status-not-success.ts';

export const CHECKS: readonly Check[] = [
  decodeError,
  statusNotSuccess,
  audienceMismatch,
] as Check[];

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
