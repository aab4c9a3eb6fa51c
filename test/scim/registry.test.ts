// The directory is the spec: every rule file in lib/scim/rules is registered, documented and
// tested, and the registry holds exactly the contract ids.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCIM_RULES } from '../../lib/scim/rules/index.ts';
import { SCIM_RULE_IDS } from '../../lib/scim/types.ts';
import { CHECK_IDS } from '../../lib/checks/types.ts';

const dir = join(import.meta.dirname, '../../lib/scim/rules');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

describe('SCIM rule registry', () => {
  it('registers exactly the contract ids, once each', () => {
    expect(SCIM_RULES.map((r) => r.id).sort()).toEqual([...SCIM_RULE_IDS].sort());
  });
  it('shares no id with the SAML checks', () => {
    expect(SCIM_RULE_IDS.filter((id) => (CHECK_IDS as readonly string[]).includes(id))).toEqual([]);
  });
  for (const f of files) {
    const id = f.replace(/\.ts$/, '');
    describe(id, () => {
      const rule = SCIM_RULES.find((r) => r.id === id);
      it('is registered under the id of its file name', () => {
        expect(rule, `lib/scim/rules/${f} in lib/scim/rules/index.ts`).toBeDefined();
      });
      it('is documented, names its sources and has a message catalogue', () => {
        expect(rule!.title.length).toBeGreaterThan(10);
        expect(rule!.docs.length).toBeGreaterThan(40);
        expect(rule!.facts.length).toBeGreaterThan(0);
        expect(Object.keys(rule!.messages).length).toBeGreaterThan(0);
      });
      it('has a table-driven test', () => {
        expect(existsSync(join(import.meta.dirname, 'rules', `${id}.test.ts`)), `test/scim/rules/${id}.test.ts`).toBe(true);
      });
      it('uses every message of its catalogue', () => {
        const src = readFileSync(join(dir, f), 'utf8');
        // Outside the catalogue itself.
        const start = src.indexOf('messages:');
        const end = src.indexOf('run(', start);
        const code = src.slice(0, start) + src.slice(end);
        for (const k of Object.keys(rule!.messages)) {
          expect(new RegExp(`['"]${k}['"]`).test(code), `message "${k}" of ${id} is reported somewhere`).toBe(true);
        }
      });
    });
  }
});

describe('SAML ↔ SCIM cross-check ids', () => {
  it('each contract id has a documented definition whose every message is reported', async () => {
    const { CROSSCHECK_DEFS } = await import('../../lib/scim/crosscheck.ts');
    const { SCIM_CROSSCHECK_IDS } = await import('../../lib/scim/types.ts');
    const src = readFileSync(join(import.meta.dirname, '../../lib/scim/crosscheck.ts'), 'utf8');
    const code = src.slice(src.indexOf('export function judgeCrossCheck'));
    expect(Object.keys(CROSSCHECK_DEFS).sort()).toEqual([...SCIM_CROSSCHECK_IDS].sort());
    for (const id of SCIM_CROSSCHECK_IDS) {
      const d = CROSSCHECK_DEFS[id];
      expect(d.id).toBe(id);
      expect(d.docs.length).toBeGreaterThan(40);
      expect(d.facts.length).toBeGreaterThan(0);
      for (const k of Object.keys(d.messages)) expect(new RegExp(`'${id}',\\s*'${k}'`).test(code), `${id} reports "${k}"`).toBe(true);
    }
  });
});
