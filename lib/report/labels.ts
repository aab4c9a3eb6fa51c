// Names people read instead of internal ids (r75-1796468374746-req): "AuthnRequest 11:00:59",
// "Response #2", "sign-in #3". Pure; every view and report labels messages and attempts with these.
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import type { Flow } from '../types.ts';

/** HH:MM:SS in UTC, or undefined for a missing or unreadable time. */
export function clockTime(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(11, 19);
}

/**
 * A label per message: its kind and capture time ("AuthnRequest 11:00:59"); when that does not
 * tell it apart (two of a kind in the same second), its number within that second
 * ("Response 11:00:59 #2"); without a time, its number among the untimed messages of its kind
 * ("Response #2"). Numbers stay small in a long session: a count over every message of a kind
 * put "AuthnRequest #227" beside "Response #252" in one attempt.
 */
export function messageLabels(messages: AnalyzedMessage[]): Map<string, string> {
  const kindOf = (m: AnalyzedMessage) => m.kind ?? (m.capture.param === 'SAMLRequest' ? 'unreadable request' : m.capture.param === 'SAMLResponse' ? 'unreadable response' : 'unreadable message');
  const base = messages.map((m) => {
    const t = clockTime(m.capture.time);
    return { label: t ? `${kindOf(m)} ${t}` : kindOf(m), timed: !!t };
  });
  const count = new Map<string, number>();
  for (const { label } of base) count.set(label, (count.get(label) ?? 0) + 1);
  const nth = new Map<string, number>();
  const out = new Map<string, string>();
  messages.forEach((m, i) => {
    const { label, timed } = base[i]!;
    const n = (nth.get(label) ?? 0) + 1;
    nth.set(label, n);
    out.set(m.id, timed && count.get(label) === 1 ? label : `${label} #${n}`);
  });
  return out;
}

/** "sign-in #3 (11:00:59 UTC)": the attempt's number in order of capture, as the popup lists it. */
export function flowLabel(flow: Flow, flows: Flow[]): string {
  const n = (flow.order ?? flows.indexOf(flow)) + 1;
  const t = clockTime(flow.startedAt);
  return `sign-in #${n}${t ? ` (${t} UTC)` : ''}`;
}

/** Label lookups over one analysis; an id not in it is shown as "a message" rather than raw. */
export function labeler(a: AnalysisResult): { message(id: string): string; flow(id: string): string } {
  const msgs = messageLabels(a.messages);
  return {
    message: (id) => msgs.get(id) ?? 'a message',
    flow: (id) => {
      const f = a.flows.find((x) => x.id === id);
      return f ? flowLabel(f, a.flows) : 'a sign-in';
    },
  };
}
