// npm run new-check <check-id>: writes the check, its table test and its registry line, so a
// newcomer starts on the path the registry test enforces (docs/writing-checks.md).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const id = process.argv[2];
if (!id || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) {
  console.error('usage: npm run new-check <check-id>   (lower-case words joined by dashes, e.g. relaystate-too-long)');
  process.exit(2);
}
const root = join(import.meta.dirname, '..');
const camel = id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const checkFile = join(root, 'lib/checks', `${id}.ts`);
const testFile = join(root, 'test/checks', `${id}.test.ts`);
const indexFile = join(root, 'lib/checks/index.ts');
const typesFile = join(root, 'lib/checks/types.ts');
if (existsSync(checkFile)) {
  console.error(`lib/checks/${id}.ts exists already`);
  process.exit(2);
}

writeFileSync(
  checkFile,
  `import { ENTRA_SSO } from './fixes.ts';
import { defineCheck } from './types.ts';

export const ${camel} = defineCheck({
  id: '${id}',
  severity: 'error', // error only when AWS IAM Identity Center refuses the sign-in
  title: 'TODO: what is wrong, in a line',
  docs: 'TODO: why it breaks the sign-in, in two sentences.',
  facts: [], // FACTS.md ids this rule stands on
  appliesTo: ['Response'],
  messages: {
    found: 'TODO: the message, with {placeholders}.',
  },
  run(ctx, report) {
    void ctx;
    void report;
    void ENTRA_SSO;
    // report({ message: 'found', data: { ... }, evidence: [{ label, expected, actual, path }], fix: \`\${ENTRA_SSO} → ...\` });
  },
});
`,
);

writeFileSync(
  testFile,
  `import { describe, expect, it } from 'vitest';
import { expectWellFormed, findingsFor, type Case } from './harness.ts';
import { signedResponse } from '../lab/factory.ts';

const ID = '${id}';

const pass: Case[] = [{ name: 'a clean Entra response', response: signedResponse() }];
const fail: (Case & { severity: string; messageKey: string })[] = [];

describe(ID, () => {
  for (const c of pass) it(\`passes: \${c.name}\`, () => expect(findingsFor(c, ID)).toEqual([]));
  for (const c of fail) {
    it(\`fails: \${c.name}\`, () => {
      const f = findingsFor(c, ID);
      expect(f).toHaveLength(1);
      expect(f[0]).toMatchObject({ severity: c.severity, messageKey: c.messageKey });
      expectWellFormed(f[0]!);
    });
  }
  it.todo('add failing cases');
});
`,
);

let index = readFileSync(indexFile, 'utf8');
index = index.replace(/(import type \{ Check \} from '\.\/types\.ts';\n)/, `$1import { ${camel} } from './${id}.ts';\n`);
index = index.replace(/(export const CHECKS: readonly Check\[\] = \[\n)/, `$1  ${camel},\n`);
writeFileSync(indexFile, index);

let types = readFileSync(typesFile, 'utf8');
types = types.replace(/(export const CHECK_IDS = \[\n)/, `$1  '${id}',\n`);
writeFileSync(typesFile, types);

// The check's words are the tool's own words now (lib/evidence/tool-words.ts, for the final
// redaction scan); its test fails when they are out of date.
execFileSync(process.execPath, ['scripts/tool-words.mjs'], { stdio: 'inherit' });

console.log(`wrote lib/checks/${id}.ts and test/checks/${id}.test.ts; registered in lib/checks/index.ts and CHECK_IDS.
Next: write the rule (docs/writing-checks.md), fill the test table, run npx vitest run test/checks/${id}.test.ts`);
