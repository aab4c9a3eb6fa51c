// Once per vitest run, before the workers start (the workers inherit the environment):
// - the test signing keys, made on the run's clock, so each test file does not spend 0.7 s
//   generating the same two RSA keys again;
// - a folder for the run's extension builds (test/e2e/run-scenario.ts buildExtension), so the
//   browser tests share one build per browser instead of making one each. Removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSharedKeys } from './lab/keys.ts';

export default async function setup(): Promise<() => void> {
  if (!process.env.SAMLSCOPE_TEST_KEYS) process.env.SAMLSCOPE_TEST_KEYS = JSON.stringify(await makeSharedKeys());
  if (process.env.SAMLSCOPE_BUILD_DIR) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'samlscope-builds-'));
  process.env.SAMLSCOPE_BUILD_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
