// Runs every registered check on a message. Never stops at the first problem; a check that
// throws becomes one internal-error finding and the others still report.
import type { Finding } from '../types.ts';
import { CHECKS } from './index.ts';
import { renderTemplate, type Check, type CheckContext } from './types.ts';

export function runCheck(check: Check, ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  if (!check.appliesTo.includes(ctx.message.kind)) return out;
  check.run(ctx, (r) => {
    const template = check.messages[r.message];
    if (template === undefined) throw new Error(`check ${check.id} reported unknown message "${r.message}"`);
    out.push({
      checkId: check.id,
      severity: r.severity ?? check.severity,
      title: check.titles?.[r.message] ?? check.title,
      message: renderTemplate(template, r.data),
      evidence: r.evidence,
      fix: r.fix,
      messageId: ctx.messageId,
      ...(ctx.flow ? { flowId: ctx.flow.id } : {}),
      messageKey: r.message,
      facts: check.facts,
    });
  });
  return out;
}

export function runChecks(ctx: CheckContext, checks: readonly Check[] = CHECKS): Finding[] {
  const out: Finding[] = [];
  for (const check of checks) {
    try {
      out.push(...runCheck(check, ctx));
    } catch (e) {
      out.push({
        checkId: 'internal-error',
        severity: 'warning',
        title: 'A check failed to run',
        message: `The check ${check.id} failed on this message: ${(e as Error)?.message ?? String(e)}. The other checks ran; this one's verdict is unknown.`,
        evidence: [{ label: 'check', actual: check.id }],
        fix: 'This is a samlscope bug: export the message (redacted) and report it.',
        messageId: ctx.messageId,
        ...(ctx.flow ? { flowId: ctx.flow.id } : {}),
      });
    }
  }
  return out;
}
