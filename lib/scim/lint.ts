// The SCIM payload linter: parse what was pasted, run every rule on every payload, never stop at
// the first problem. A rule that throws becomes one internal-error finding; the others report.
import type { Finding } from '../types.ts';
import { SEVERITY_ORDER } from '../types.ts';
import { renderTemplate } from '../checks/types.ts';
import { parsePayloads, type ParseOptions } from './payload.ts';
import { SCIM_RULES } from './rules/index.ts';
import type { PayloadKind, ScimPayload, ScimResource, ScimRule } from './types.ts';

export interface LintedPayload {
  id: string;
  kind: PayloadKind;
  resource?: ScimResource;
  resourceSource?: string;
  method?: string;
  path?: string;
}

export type LintResult =
  | { ok: true; source: string; payloads: LintedPayload[]; findings: Finding[] }
  | { ok: false; source: string; code: 'empty' | 'too-large' | 'not-json' | 'not-scim'; message: string; findings: Finding[] };

export function runScimRule(rule: ScimRule, p: ScimPayload): Finding[] {
  const out: Finding[] = [];
  if (!rule.appliesTo.includes(p.kind)) return out;
  rule.run({ payload: p }, (r) => {
    const template = rule.messages[r.message];
    if (template === undefined) throw new Error(`rule ${rule.id} reported unknown message "${r.message}"`);
    out.push({
      checkId: rule.id,
      severity: r.severity ?? rule.severity,
      title: rule.title,
      message: renderTemplate(template, r.data),
      evidence: r.evidence,
      fix: r.fix,
      messageId: p.id,
      messageKey: r.message,
      facts: rule.facts,
    });
  });
  return out;
}

export function lintPayload(p: ScimPayload, rules: readonly ScimRule[] = SCIM_RULES): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    try {
      out.push(...runScimRule(rule, p));
    } catch (e) {
      out.push({
        checkId: 'internal-error',
        severity: 'warning',
        title: 'A rule failed to run',
        message: `The rule ${rule.id} failed on this payload: ${(e as Error)?.message ?? String(e)}. The other rules ran; this one's verdict is unknown.`,
        evidence: [{ label: 'rule', actual: rule.id }],
        fix: 'This is a samlscope bug: report it with the payload (redacted).',
        messageId: p.id,
      });
    }
  }
  return out;
}

/** Lints pasted text: a User / Group / PATCH body, a ListResponse, or an error body. Never throws. */
export function lintScim(text: string, source = 'payload', o: ParseOptions = {}): LintResult {
  const parsed = parsePayloads(text, source, o);
  if (!parsed.ok) return { ok: false, source, code: parsed.code, message: parsed.message, findings: [] };
  const findings = parsed.payloads
    .flatMap((p) => lintPayload(p))
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
  return {
    ok: true,
    source,
    payloads: parsed.payloads.map((p) => ({
      id: p.id,
      kind: p.kind,
      ...(p.resource ? { resource: p.resource } : {}),
      ...(p.resourceSource ? { resourceSource: p.resourceSource } : {}),
      ...(p.http?.method ? { method: p.http.method } : {}),
      ...(p.http?.path ? { path: p.http.path } : {}),
    })),
    findings,
  };
}

/** The one line the UI and the CLI open with. */
export function lintVerdict(r: LintResult): { tone: 'error' | 'warning' | 'ok' | 'neutral'; text: string } {
  if (!r.ok) return { tone: 'neutral', text: r.message };
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.filter((f) => f.severity === 'warning').length;
  const kinds = [...new Set(r.payloads.map((p) => describeKind(p)))].join(', ');
  const pl = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (r.payloads.every((p) => p.kind === 'Error')) {
    const st = r.findings[0]?.evidence.find((e) => e.label === 'status')?.actual;
    return { tone: errors ? 'error' : warnings ? 'warning' : 'neutral', text: `Identity Center answered ${st ? `HTTP ${st}` : 'an error'}: the likely cause is below` };
  }
  if (errors) return { tone: 'error', text: `Identity Center will refuse this ${kinds}: ${pl(errors, 'error')}${warnings ? `, ${pl(warnings, 'warning')}` : ''}` };
  if (warnings) return { tone: 'warning', text: `Identity Center should accept this ${kinds}, with ${pl(warnings, 'warning')}` };
  return { tone: 'ok', text: `Identity Center should accept this ${kinds}` };
}

export function describeKind(p: LintedPayload): string {
  switch (p.kind) {
    case 'User':
      return 'user';
    case 'Group':
      return 'group';
    case 'PatchOp':
      return p.resource ? `PATCH of a ${p.resource.toLowerCase()}` : 'PATCH request';
    case 'Error':
      return 'error body';
    default:
      return 'payload';
  }
}
