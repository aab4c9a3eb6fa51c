// Runs every registered check on a message. Never stops at the first problem; a check that
// throws becomes one internal-error finding and the others still report.
import type { Finding } from '../types.ts';
import { CHECKS } from './index.ts';
import { renderTemplate, type Check, type CheckContext } from './types.ts';
import { idpHints, idpIsEntra, inIdpTerms } from '../domain/idp-words.ts';

/** Is this message's identity provider Entra (idp-words.ts)? The same for every check of one message. */
function entraOf(ctx: CheckContext): boolean {
  return idpIsEntra(ctx.message, idpHints(ctx.capture.url, ctx.expect.idpEntityId?.value));
}

const same = (s: string) => s;

/** `entra`: whether the message's identity provider is Entra, when the caller knows it already. */
export function runCheck(check: Check, ctx: CheckContext, entra?: boolean): Finding[] {
  const out: Finding[] = [];
  if (!check.appliesTo.includes(ctx.message.kind)) return out;
  // "Entra" only when the identity provider is Entra; otherwise general IdP terms (idp-words.ts).
  const isEntra = entra ?? entraOf(ctx);
  const words = isEntra ? same : inIdpTerms;
  check.run(ctx, (r) => {
    const template = check.messages[r.message];
    if (template === undefined) throw new Error(`check ${check.id} reported unknown message "${r.message}"`);
    const data = { idp: isEntra ? 'Entra' : 'the identity provider', Idp: isEntra ? 'Entra' : 'The identity provider', ...r.data };
    const keep = check.namesEntra?.includes(r.message) ?? false;
    out.push({
      checkId: check.id,
      severity: r.severity ?? check.severity,
      title: keep ? (check.titles[r.message] ?? check.title) : words(check.titles[r.message] ?? check.title),
      message: keep ? renderTemplate(template, data) : words(renderTemplate(template, data)),
      evidence: isEntra ? r.evidence : r.evidence.map((e) => ({ ...e, label: inIdpTerms(e.label), ...(e.source !== undefined ? { source: inIdpTerms(e.source) } : {}) })),
      fix: words(r.fix),
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
  // Whose words the findings speak, decided once for the message rather than once per check; a
  // failure to decide fails each check that applies, as it did when each check decided it.
  let entra: boolean | undefined;
  let entraFailure: { error: unknown } | undefined;
  for (const check of checks) {
    try {
      if (!check.appliesTo.includes(ctx.message.kind)) continue;
      if (entra === undefined && entraFailure === undefined) {
        try {
          entra = entraOf(ctx);
        } catch (error) {
          entraFailure = { error };
        }
      }
      if (entraFailure) throw entraFailure.error;
      const list = runCheck(check, ctx, entra);
      for (const f of list) out.push(f);
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
