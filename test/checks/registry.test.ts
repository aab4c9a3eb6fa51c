// The directory is the spec: every check file is registered, documented and tested, and the
// registry holds exactly the contract ids.
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../lib/checks/index.ts';
import { CHECK_IDS } from '../../lib/checks/types.ts';

const dir = join(import.meta.dirname, '../../lib/checks');
const NOT_CHECKS = new Set(['index.ts', 'types.ts', 'run.ts', 'util.ts', 'fixes.ts']);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !NOT_CHECKS.has(f));

describe('check registry', () => {
  it('registers exactly the contract ids, once each', () => {
    expect([...CHECKS.map((c) => c.id)].sort()).toEqual([...CHECK_IDS].sort());
  });

  for (const f of files) {
    const id = f.replace(/\.ts$/, '');
    describe(id, () => {
      it('is registered under the id of its file name', () => {
        expect(CHECKS.map((c) => c.id)).toContain(id);
      });
      it('is documented, names its sources and has a message catalogue', () => {
        const c = CHECKS.find((x) => x.id === id)!;
        expect(c.title.length).toBeGreaterThan(10);
        expect(c.docs.length).toBeGreaterThan(40);
        expect(c.facts.length).toBeGreaterThan(0);
        expect(Object.keys(c.messages).length).toBeGreaterThan(0);
      });
      it('has a table-driven test', () => {
        expect(existsSync(join(import.meta.dirname, `${id}.test.ts`)), `test/checks/${id}.test.ts`).toBe(true);
      });
      it('uses every message of its catalogue', () => {
        const src = readFileSync(join(dir, f), 'utf8');
        const c = CHECKS.find((x) => x.id === id)!;
        for (const k of Object.keys(c.messages)) {
          const used = new RegExp(`message:\\s*['"]${k}['"]|messages\\.${k}\\b|['"]${k}['"]`).test(src.split('messages:')[1]?.split('run(')[1] ?? src);
          expect(used, `message "${k}" of ${id} is reported somewhere`).toBe(true);
        }
      });
    });
  }
});
