// The ticket's Entra ids (Request Id, Correlation Id…) say which sign-in they came from when the
// export holds several: the export leads with the latest failure, and an id of another attempt
// beside it read as that failure's (found by a review: flow 1's AADSTS50105 ids under a lead about
// sign-in #6's AWS error).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli-run.ts';

const SESSION = readFileSync(new URL('../fixtures/sessions/session.har', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'samlscope-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exportMarkdown(files: string[], extra: string[] = []): Promise<string> {
  const r = await runCli(['export', '--format', 'markdown', '--redact', 'none', ...extra, ...files]);
  expect([r.code, r.stderr]).toStrictEqual([0, '']);
  return r.stdout;
}

const rows = (md: string) => md.split('\n').filter((l) => /^\| Entra (Request Id|Correlation Id|Trace ID|Timestamp) \|/.test(l));

/**
 * The recorded session with its fifth attempt (Entra's AADSTS50105 page) moved first: Entra
 * stopped sign-in #1, and the latest that fails is #5, the audience mismatch AWS refused.
 */
function entraFirst(): string {
  const h = JSON.parse(SESSION) as { log: { entries: { startedDateTime: string; request: { url: string } }[] } };
  const fifth = h.log.entries.filter((e) => ['2026-12-05T12:31:46.851Z', '2026-12-05T12:31:46.910Z'].includes(e.startedDateTime));
  expect(fifth.map((e) => e.request.url.slice(0, 40))).toStrictEqual(['https://d-93670a1b2c.awsapps.com/start', 'https://login.microsoftonline.com/7f3c1b']);
  for (const e of fifth) e.startedDateTime = new Date(Date.parse(e.startedDateTime) - 10_000).toISOString();
  h.log.entries = [...fifth, ...h.log.entries.filter((e) => !fifth.includes(e))];
  return JSON.stringify(h);
}

describe('the Entra ids in a ticket of several sign-ins', () => {
  it('each id names its sign-in, numbered as the lead and the flows table number them', async () => {
    const file = join(dir, 'customer.har');
    writeFileSync(file, entraFirst());
    const md = await exportMarkdown([file]);
    expect(md).toContain('Sign-in #5 (12:31:46 UTC), the latest that fails; 3 of 7 sign-ins fail');
    expect(md).toMatch(/^\| 1 \| SP-initiated, stopped at Entra \(AADSTS50105\) \|/m);
    expect(rows(md)).toStrictEqual([
      '| Entra Correlation Id | `54739111-84f4-4a1a-a71a-4df58ec50b26` (sign-in #1) |',
      '| Entra Timestamp | `2026-12-05T12:31:46.925Z` (sign-in #1) |',
    ]);
  });

  it('the same ids recorded twice (two copies of one HAR) are one value naming both sign-ins', async () => {
    const a = join(dir, 'monday.har');
    const b = join(dir, 'tuesday.har');
    writeFileSync(a, SESSION);
    writeFileSync(b, SESSION);
    const md = await exportMarkdown([a, b]);
    const r = rows(md);
    expect(r).toHaveLength(2);
    expect(r[0]).toMatch(/^\| Entra Correlation Id \| `54739111-84f4-4a1a-a71a-4df58ec50b26` \(sign-in #\d+(, #\d+)?\) \|$/);
    expect(r[1]).toMatch(/^\| Entra Timestamp \| `2026-12-05T12:31:46.925Z` \(sign-in #\d+(, #\d+)?\) \|$/);
  });

  it('one sign-in: the ids as they are, without a number', async () => {
    const one = join(dir, 'one.har');
    writeFileSync(one, SESSION);
    const md = await exportMarkdown([one], ['--flow', '5']);
    expect(rows(md)).toStrictEqual(['| Entra Correlation Id | `54739111-84f4-4a1a-a71a-4df58ec50b26` |', '| Entra Timestamp | `2026-12-05T12:31:46.925Z` |']);
  });
});
