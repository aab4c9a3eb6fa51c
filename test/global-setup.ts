// Once per vitest run, before the workers start: the test signing keys, made on the run's clock
// and handed to every worker (they inherit the environment), so each test file does not spend
// 0.7 s generating the same two RSA keys again.
import { makeSharedKeys } from './lab/keys.ts';

export default async function setup(): Promise<void> {
  if (!process.env.SAMLSCOPE_TEST_KEYS) process.env.SAMLSCOPE_TEST_KEYS = JSON.stringify(await makeSharedKeys());
}
