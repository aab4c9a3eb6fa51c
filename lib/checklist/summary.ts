// One line over a checklist, for the UI header and the Markdown section. Pure, types only.
import type { Checklist } from './types.ts';

/** "3 of 6 done, 1 failing, 2 to test" (not-applicable items left out of the count). */
export function checklistSummary(c: Checklist): string {
  const total = c.items.length - c.counts['not-applicable'];
  const parts = [`${c.counts.pass} of ${total} done`];
  if (c.counts.fail) parts.push(`${c.counts.fail} failing`);
  if (c.counts.pending) parts.push(`${c.counts.pending} to test`);
  return parts.join(', ');
}
