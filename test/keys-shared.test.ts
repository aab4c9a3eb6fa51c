import { describe, expect, it } from 'vitest';
import { IDP_KEY, OTHER_KEY } from './lab/keys.ts';

describe('the shared test keys', () => {
  it('come from the run (test/global-setup.ts), the same in every worker', () => {
    const given = JSON.parse(process.env.SAMLSCOPE_TEST_KEYS ?? '{}') as { idp?: { sha1: string }; other?: { sha1: string } };
    expect(IDP_KEY.sha1).toBe(given.idp?.sha1);
    expect(OTHER_KEY.sha1).toBe(given.other?.sha1);
    expect(IDP_KEY.sha1).not.toBe(OTHER_KEY.sha1);
  });
});
