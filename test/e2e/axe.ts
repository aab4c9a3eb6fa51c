// axe-core (npm devDependency, read from node_modules: never a CDN) run in a page of the built
// extension, in both colour schemes: WCAG 2 A/AA rules, text contrast (≥ 4.5:1) among them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; summary: string }[];
}

/** The violations axe finds in the page as it is now (details opened by the caller are included). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Extension pages forbid inline scripts by CSP; evaluate() runs in the page's main world anyway.
  await page.evaluate(AXE_SOURCE);
  return (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.map(String), summary: (n.failureSummary || '').slice(0, 300) })) }));
  })()`)) as AxeViolation[];
}

/** One line per violation, for a readable failure. */
export function describeViolations(label: string, v: AxeViolation[]): string {
  return v.map((x) => `${label}: ${x.id} (${x.impact}) ${x.help}\n${x.nodes.map((n) => `   ${n.target.join(' ')}: ${n.summary.replace(/\s+/g, ' ')}`).join('\n')}`).join('\n');
}
