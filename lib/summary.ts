// A flat summary of a message for display (popup rows, the full view's header, text output).
import type { SamlMessage } from './saml/model.ts';

export interface MessageSummary {
  kind: SamlMessage['kind'];
  id?: string;
  issuer?: string;
  issueInstant?: string;
  destination?: string;
  inResponseTo?: string;
  status?: string;
  statusMessage?: string;
  nameId?: string;
  nameIdFormat?: string;
  audience?: string;
  recipient?: string;
  notBefore?: string;
  notOnOrAfter?: string;
  acsUrl?: string;
  assertionCount?: number;
  encryptedAssertionCount?: number;
  /** Where signatures sit: "Response", "Assertion", "Response+Assertion", or "none". */
  signedParts: string;
  signatureAlgorithm?: string;
  attributeCount?: number;
}

/** Sets a summary field when it has a value (a module function: a closure per call cost more than the summary). */
function putField<K extends keyof MessageSummary>(s: MessageSummary, k: K, v: MessageSummary[K] | undefined): void {
  if (v !== undefined && v !== '') s[k] = v;
}

export function summarize(m: SamlMessage): MessageSummary {
  const s: MessageSummary = { kind: m.kind, signedParts: 'none' };
  putField(s, 'id', m.id);
  putField(s, 'issuer', m.issuer?.value);
  putField(s, 'issueInstant', m.issueInstant);
  putField(s, 'destination', m.destination);
  putField(s, 'inResponseTo', m.inResponseTo);
  const parts: string[] = [];
  if (m.signatures.length) parts.push(m.rootName);
  if (m.kind === 'AuthnRequest') {
    putField(s, 'acsUrl', m.acsUrl);
  }
  if (m.kind === 'Response' || m.kind === 'LogoutResponse') {
    putField(s, 'status', m.status?.code?.replace('urn:oasis:names:tc:SAML:2.0:status:', ''));
    putField(s, 'statusMessage', m.status?.message);
  }
  if (m.kind === 'Response') {
    s.assertionCount = m.assertions.length;
    s.encryptedAssertionCount = m.encryptedAssertions.length;
    const a = m.assertions[0];
    if (a) {
      if (a.signatures.length) parts.push('Assertion');
      putField(s, 'nameId', a.nameId?.value);
      putField(s, 'nameIdFormat', a.nameId?.format);
      putField(s, 'audience', a.conditions?.audiences[0]?.value);
      putField(s, 'recipient', a.subjectConfirmations.find((c) => c.data?.recipient)?.data?.recipient);
      putField(s, 'notBefore', a.conditions?.notBefore);
      putField(s, 'notOnOrAfter', a.conditions?.notOnOrAfter);
      s.attributeCount = a.attributes.length;
      if (!m.issuer) putField(s, 'issuer', a.issuer?.value);
    }
  }
  if (m.kind === 'LogoutRequest') putField(s, 'nameId', m.nameId?.value);
  s.signedParts = parts.length ? parts.join('+') : 'none';
  putField(s, 'signatureAlgorithm', m.allSignatures[0]?.signatureMethod);
  return s;
}
