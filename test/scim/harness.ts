// Table-driven SCIM rule tests: payloads shaped like Entra's requests to AWS IAM Identity Center
// (what the gallery app's provisioning job sends: FACTS D1.5), linted as the CLI and the SCIM page
// lint them, keeping one rule's findings.
import { describe, expect, it } from 'vitest';
import { lintScim } from '../../lib/scim/lint.ts';
import { SCHEMA } from '../../lib/scim/payload.ts';
import type { ScimResource } from '../../lib/scim/types.ts';
import type { Evidence, Finding, Severity } from '../../lib/types.ts';

export const ENTERPRISE = SCHEMA.enterprise;

/** A clean CreateUser body as Entra sends it for the lab user. */
export function entraUser(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [SCHEMA.user, ENTERPRISE],
    externalId: '5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f',
    userName: 'alex.morgan@contoso.com',
    active: true,
    displayName: 'Alex Morgan',
    title: 'Engineer',
    preferredLanguage: 'en-GB',
    name: { formatted: 'Alex Morgan', familyName: 'Morgan', givenName: 'Alex' },
    emails: [{ primary: true, type: 'work', value: 'alex.morgan@contoso.com' }],
    phoneNumbers: [{ type: 'work', value: '+44 20 7946 0000' }],
    addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'London', postalCode: 'N1 1AA', country: 'GB', formatted: '1 Main St, London' }],
    [ENTERPRISE]: { department: 'Engineering', costCenter: 'CC-1042', manager: { value: 'b1c2d3e4' } },
    ...over,
  };
}

export function entraGroup(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [SCHEMA.group], displayName: 'AWS-Engineers', externalId: '9a8b7c6d-0000-4000-8000-000000000001', members: [{ value: '3f1e0c4a-1111-2222-3333-444455556666' }], ...over };
}

export function patch(ops: unknown[]): Record<string, unknown> {
  return { schemas: [SCHEMA.patch], Operations: ops };
}

export interface Case {
  name: string;
  /** A body (JSON-encoded here) or raw text as pasted. */
  body: unknown;
  target?: ScimResource;
}

export interface Fail extends Case {
  key: string;
  severity: Severity;
  messageHas?: string[];
  /** Each expected evidence row, matched in order against the finding's evidence. */
  evidence?: Partial<Evidence>[];
  /** How many findings of the rule (default 1). */
  count?: number;
}

export function findingsFor(c: Case, ruleId: string): Finding[] {
  const text = typeof c.body === 'string' ? c.body : JSON.stringify(c.body, null, 2);
  const r = lintScim(text, 'case', c.target ? { target: c.target } : {});
  expect(r.ok, r.ok ? '' : `${r.code}: ${r.message}`).toBe(true);
  expect(r.findings.filter((f) => f.checkId === 'internal-error'), 'internal-error findings').toEqual([]);
  return r.findings.filter((f) => f.checkId === ruleId);
}

export function expectWellFormed(f: Finding): void {
  expect(f.evidence.length, `${f.checkId} has evidence`).toBeGreaterThan(0);
  expect(f.fix.length, `${f.checkId} has a fix`).toBeGreaterThan(10);
  // Placeholders are lower-case words; captured text such as \p{L} is left alone.
  expect(f.message).not.toMatch(/\{[a-z]\w*\}/);
  expect(f.messageKey).toBeTruthy();
}

/** The table runner every rule test uses. */
export function ruleTable(ruleId: string, pass: Case[], fail: Fail[]): void {
  describe(ruleId, () => {
    for (const c of pass) {
      it(`passes: ${c.name}`, () => {
        expect(findingsFor(c, ruleId)).toEqual([]);
      });
    }
    for (const c of fail) {
      it(`fails: ${c.name}`, () => {
        const fs = findingsFor(c, ruleId);
        expect(fs.length, JSON.stringify(fs.map((f) => f.message))).toBe(c.count ?? 1);
        const f = fs.find((x) => x.messageKey === c.key);
        expect(f, `a finding with message key ${c.key}; got ${fs.map((x) => x.messageKey).join(', ')}`).toBeDefined();
        expectWellFormed(f!);
        expect(f!.severity).toBe(c.severity);
        for (const s of c.messageHas ?? []) expect(f!.message).toContain(s);
        (c.evidence ?? []).forEach((e, i) => expect(f!.evidence[i], `evidence ${i}`).toMatchObject(e));
      });
    }
  });
}
