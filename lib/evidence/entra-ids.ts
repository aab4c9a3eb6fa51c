// The ids Microsoft support asks for: Request Id, Correlation Id (and the Trace ID and Timestamp
// Entra prints with them), read from wherever a capture holds them: a failed response's
// StatusMessage, the text of an Entra error page (step notes), or an Entra URL. Pure.
import type { AnalysisResult } from '../analyze.ts';

export interface EntraIds {
  requestIds: string[];
  correlationIds: string[];
  traceIds: string[];
  timestamps: string[];
}

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PATTERNS: [keyof EntraIds, RegExp][] = [
  ['requestIds', new RegExp(`(?:Request[ _-]?Id|x-ms-request-id)\\s*[:=]\\s*"?(${GUID})`, 'gi')],
  ['correlationIds', new RegExp(`(?:Correlation[ _-]?Id|client-request-id|x-ms-correlation-id)\\s*[:=]\\s*"?(${GUID})`, 'gi')],
  ['traceIds', new RegExp(`Trace[ _-]?ID\\s*[:=]\\s*"?(${GUID})`, 'gi')],
  ['timestamps', /Timestamp\s*[:=]\s*"?(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)/gi],
];

export function findEntraIds(texts: (string | undefined)[]): EntraIds {
  const out: EntraIds = { requestIds: [], correlationIds: [], traceIds: [], timestamps: [] };
  for (const t of texts) {
    if (!t) continue;
    let text = t;
    try {
      if (/%[0-9A-Fa-f]{2}/.test(t)) text = decodeURIComponent(t);
    } catch {
      /* as written */
    }
    for (const [k, re] of PATTERNS) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        // GUIDs compare in lower case; a timestamp is kept as Entra wrote it (its T and Z).
        const v = k === 'timestamps' ? m[1]! : m[1]!.toLowerCase();
        if (!out[k].includes(v)) out[k].push(v);
      }
    }
  }
  return out;
}

/** The Entra ids of an analysis (or of one flow of it). */
export function entraIdsOf(a: AnalysisResult, flowId?: string): EntraIds {
  const flows = flowId ? a.flows.filter((f) => f.id === flowId) : a.flows;
  const ids = new Set(flows.flatMap((f) => f.messageIds));
  const messages = flowId ? a.messages.filter((m) => ids.has(m.id)) : a.messages;
  return findEntraIds([
    ...messages.map((m) => m.summary?.statusMessage),
    ...flows.flatMap((f) => f.steps.flatMap((s) => [s.note, s.url, s.redirectTo])),
    // What Entra's error page showed (the content script, or a HAR's page body).
    ...flows.flatMap((f) =>
      (f.errors ?? [])
        .filter((e) => e.source === 'entra')
        .map((e) =>
          [e.requestId ? `Request Id: ${e.requestId}` : '', e.correlationId ? `Correlation Id: ${e.correlationId}` : '', e.timestamp ? `Timestamp: ${e.timestamp}` : ''].join('\n'),
        ),
    ),
  ]);
}

export function hasEntraIds(e: EntraIds): boolean {
  return e.requestIds.length + e.correlationIds.length + e.traceIds.length > 0;
}
