// The third-party regression set (issue 17): every message other people wrote, with the verdict
// judged by reading it (test/thirdparty/manifest.ts says why for each).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeWithSignatures } from './signed.ts';
import { isEntraIssuer } from '../lib/domain/idp-words.ts';
import { ENTRIES, SOURCES, sourceUrl } from './thirdparty/manifest.ts';
import { captureOf, MESSAGES_DIR, ownInstant } from './thirdparty/load.ts';

describe('the third-party regression set', () => {
  it('holds at least 30 messages from at least 8 sources, each file described once, with its licence', () => {
    expect(ENTRIES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ENTRIES.map((e) => e.source)).size).toBeGreaterThanOrEqual(8);
    expect(ENTRIES.map((e) => e.file).sort()).toEqual(readdirSync(MESSAGES_DIR).sort());
    for (const s of Object.values(SOURCES)) expect(existsSync(join(import.meta.dirname, 'thirdparty/licenses', s.licenceFile)), s.licenceFile).toBe(true);
    for (const e of ENTRIES) {
      expect(sourceUrl(e)).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/[0-9a-f]{40}\/\S+$/);
      expect(e.why.length, e.file).toBeGreaterThan(30);
    }
  });

  for (const e of ENTRIES) {
    it(`${e.file} (${e.source}): ${e.expect.length ? e.expect.join(', ') : 'nothing wrong'}`, async () => {
      const now = ownInstant(e.file);
      // Time is the message's own instant; one without an IssueInstant must be unreadable anyway.
      if (!now) expect(['not-saml', 'doctype-refused']).toContain(e.kind);
      const r = await analyzeWithSignatures({ messages: [captureOf(e.file, 'tp')], now: now ?? new Date(Date.UTC(2020, 0, 1)) });
      const m = r.messages[0]!;
      expect(m.kind ?? m.error?.code).toBe(e.kind);
      expect(r.findings.filter((f) => f.checkId === 'internal-error')).toEqual([]);
      const got = r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.checkId}/${f.messageKey}`);
      expect(got.sort()).toEqual([...e.expect].sort());
      // "Entra" only when the Issuer is Entra's (issue 12): every text of every finding.
      const issuer = m.model?.issuer?.value ?? (m.model?.kind === 'Response' ? m.model.assertions[0]?.issuer?.value : undefined);
      if (!isEntraIssuer(issuer)) {
        for (const f of r.findings) {
          const onPurpose = f.checkId === 'issuer-mismatch' && (f.messageKey === 'notEntra' || f.messageKey === 'loginHost');
          const texts = onPurpose ? [f.fix] : [f.title, f.message, f.fix];
          for (const t of texts) expect(t, `${f.checkId}/${f.messageKey}`).not.toMatch(/\bEntra\b|AADSTS/);
        }
      }
    });
  }
});
