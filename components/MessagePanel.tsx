// One SAML message in the full view: a summary header (type, issuer, NameID and format, audience,
// destination, validity window against the capture time, signature status), its parameters
// (RelayState, SigAlg, binding), the attributes as a table, and the decoded XML with the findings
// pinned to their elements. Everything captured is rendered as text.
import { messageLabels } from '../lib/report/labels.ts';
import { useRovingFocus } from './roving.ts';
import { selectSignatureRow, selectValidityRow } from '../lib/store/message-rows.ts';
import { useMemo, useRef } from 'preact/hooks';
import type { AnalyzedMessage, AnalysisResult } from '../lib/analyze.ts';
import { parseXml } from '../lib/saml/xml.ts';
import { elementPathsOf, findingTarget, selectAttributes, selectPins, type Pin } from '../lib/store/fullview-selectors.ts';
import type { Finding } from '../lib/types.ts';
import { CopyButton } from './CopyButton.tsx';
import { formatTime } from './FlowRow.tsx';
import { XmlView } from './XmlView.tsx';
import { formatInteger } from '../lib/strings.ts';

const NAMEID_FORMATS: Record<string, string> = {
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress': 'emailAddress',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified': 'unspecified',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent': 'persistent',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:transient': 'transient',
};

function Row({ k, v, tone, copy, mono = true }: { k: string; v: string | undefined; tone?: string | undefined; copy?: boolean; mono?: boolean }) {
  if (v === undefined) return null;
  return (
    <tr>
      <th scope="row">{k}</th>
      <td class={`${mono ? 'mono' : ''}${tone ? ` tone-text-${tone}` : ''}`}>
        {v === '' ? <em>(empty)</em> : v}
        {copy && v ? <CopyButton value={v} label={`Copy ${k}`} /> : null}
      </td>
    </tr>
  );
}

export function MessagePanel({
  m,
  analysis,
  findings,
  selectedFinding,
  onPin,
  toleranceSeconds,
  signaturesChecked = false,
}: {
  m: AnalyzedMessage;
  analysis: AnalysisResult;
  findings: Finding[];
  /** The finding chosen, when it concerns this message. */
  selectedFinding?: Finding | undefined;
  onPin(key: string): void;
  /** The clock tolerance the checks used (Options), for the validity row. */
  toleranceSeconds?: number | undefined;
  /** Whether signatures were verified for this analysis (the Signature row says "not checked" otherwise). */
  signaturesChecked?: boolean;
}) {
  const s = m.summary;
  const c = m.capture;
  const known = useMemo(() => {
    if (!m.xml) return new Set<string>();
    const d = parseXml(m.xml);
    return 'root' in d ? elementPathsOf(d.root) : new Set<string>();
  }, [m.xml]);
  const pins = useMemo<Map<string, Pin[]>>(() => selectPins(analysis, m.id, findings, known), [analysis, m.id, findings, known]);
  const selected = selectedFinding ? findingTarget(selectedFinding, known) : undefined;
  const validity = selectValidityRow(m, toleranceSeconds);
  const sig = selectSignatureRow(m, findings, signaturesChecked);
  const attrs = selectAttributes(m.model);
  const errors = findings.filter((f) => f.messageId === m.id && f.severity === 'error').length;
  const kind = m.kind ?? 'Unreadable message';
  const rows = useRef<HTMLTableElement>(null);
  useRovingFocus(rows, 'button', [m.id]);
  const label = useMemo(() => messageLabels(analysis.messages).get(m.id) ?? kind, [analysis.messages, m.id, kind]);
  return (
    <section class="msg-panel" data-message-id={m.id} data-kind={m.kind ?? 'unreadable'} aria-label={label}>
      <header class="message-head">
        <h3>
          <span class={`kind-badge kind-${(m.kind ?? 'unreadable').toLowerCase()}`}>{kind}</span>
          {/* The kind and time are beside it; a number tells apart two of a kind in one second. */}
          {label.includes('#') ? <span class="msg-id">{label.slice(label.indexOf('#'))}</span> : null}
          {errors ? <span class="badge-count error">{errors} ✖</span> : null}
          <span class="msg-meta">
            {c.method ?? ''} {m.binding && m.binding !== 'unknown' ? `HTTP-${m.binding === 'post' ? 'POST' : 'Redirect'}` : ''}
            {m.encoding ? ` · ${m.encoding}` : ''}
            {c.time ? ` · ${formatTime(c.time)}` : ''}
          </span>
        </h3>
      </header>
      {!m.ok ? (
        <p class="notice tone-error" role="note">
          {m.error?.message ?? 'The message could not be read.'}
        </p>
      ) : null}
      <table class="summary" ref={rows}>
        <tbody>
          <Row k="Issuer" v={s?.issuer} copy />
          {s?.kind === 'Response' || s?.kind === 'LogoutRequest' ? (
            <Row k="NameID" v={s?.nameId ?? (s?.encryptedAssertionCount ? '(encrypted assertion)' : '(none)')} copy />
          ) : null}
          <Row k="NameID format" v={s?.nameIdFormat ? `${NAMEID_FORMATS[s.nameIdFormat] ?? ''}${NAMEID_FORMATS[s.nameIdFormat] ? ' — ' : ''}${s.nameIdFormat}` : undefined} />
          <Row k="Audience" v={s?.audience} copy />
          <Row k="Destination" v={s?.destination} copy />
          <Row k="Recipient" v={s?.recipient} copy />
          <Row k="ACS URL" v={s?.acsUrl} copy />
          <Row k="ID" v={s?.id} copy />
          <Row k="InResponseTo" v={s?.inResponseTo} copy />
          <Row k="Status" v={s?.status ? `${s.status}${s.statusMessage ? `: ${s.statusMessage}` : ''}` : undefined} tone={s?.status && s.status !== 'Success' ? 'error' : undefined} />
          {validity ? <Row k="Valid" v={`${validity.text}${validity.at ? ` (judged at ${validity.at}, ${validity.atSource})` : ''}`} tone={validity.tone} /> : null}
          {s ? <Row k="Signature" v={sig.text} tone={sig.tone} mono={false} /> : null}
          <Row k="Sent to" v={c.url} />
          <Row k="HTTP status" v={c.status !== undefined ? String(c.status) : undefined} />
          <Row k="Server Date" v={c.serverDate} />
          <Row k="RelayState" v={c.relayState} copy />
          <Row k="SigAlg" v={c.sigAlg} />
          <Row k="Size" v={m.xml ? `${formatInteger(m.xml.length)} characters of XML${m.base64Length ? `, ${formatInteger(m.base64Length)} of base64` : ''}` : undefined} mono={false} />
        </tbody>
      </table>
      {attrs.length ? (
        <details class="attributes" open>
          <summary>Attributes ({attrs.length})</summary>
          <table class="attrs">
            <thead>
              <tr>
                <th scope="col">Claim</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {attrs.map((a) => (
                <tr key={a.path} class={pins.has(a.path) ? `pinned sev-${pins.get(a.path)![0]!.severity}` : ''}>
                  <td title={a.name}>
                    <span class="claim-short">{a.short}</span>
                    <span class="claim-full mono">{a.name}</span>
                  </td>
                  <td class="mono">
                    {a.values.length === 0 ? <em>(no value)</em> : a.values.map((v, i) => <div key={i}>{v === '' ? <em>(empty)</em> : v}</div>)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      {m.xml !== undefined ? (
        <details class="xml-box" open>
          <summary>Decoded XML</summary>
          <XmlView xml={m.xml} pins={pins} selected={selected} onPin={onPin} label={`Decoded XML of ${label}`} />
        </details>
      ) : (
        <details class="xml-box">
          <summary>Value as received</summary>
          <pre class="xml-raw">{c.raw.length > 20000 ? `${c.raw.slice(0, 20000)}… (${c.raw.length} characters)` : c.raw}</pre>
        </details>
      )}
    </section>
  );
}
