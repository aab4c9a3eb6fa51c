// lib/evidence/tool-words.ts is made from lib/ by scripts/tool-words.mjs: it must be up to date, or a
// word the tool now writes could make the final redaction scan refuse an export (issue 14).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TOOL_WORDS } from '../../lib/evidence/tool-words.ts';

describe('the tool\'s own words (final redaction scan)', () => {
  it('are up to date with lib/ (run `npm run tool-words` after changing what the tool writes)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/tool-words.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('hold the protocol\'s names and the export\'s keys and headings, and no word from a comment', () => {
    const words = new Set(TOOL_WORDS.split(/\s+/));
    for (const w of ['authnrequest', 'samlresponse', 'inresponseto', 'subjectlocality', 'request', 'findings', 'expected', 'center']) expect(words.has(w), w).toBe(true);
    // Words only in comments (redact.ts: '"Ana" is not replaced in "Banana"') are not words of the tool.
    for (const w of ['banana', 'quadratic']) expect(words.has(w), w).toBe(false);
  });
});
