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

export function summarize(m: SamlMessage): MessageSummary {
  const s: MessageSummary = { kind: m.kind, signedParts: 'none' };
  const put = <K extends keyof MessageSummary>(k: K, v: MessageSummary[K] | undefined) => {
    if (v !== undefined && v !== '') s[k] = v;
  };
  put('id', m.id);
  put('issuer', m.issuer?.value);
  put('issueInstant', m.issueInstant);
  put('destination', m.destination);
  put('inResponseTo', m.inResponseTo);
  const parts: string[] = [];
  if (m.signatures.length) parts.push(m.rootName);
  if (m.kind === 'AuthnRequest') {
    put('acsUrl', m.acsUrl);
  }
  if (m.kind === 'Response' || m.kind === 'LogoutResponse') {
    put('status', m.status?.code?.replace('urn:oasis:names:tc:SAML:2.0:status:', ''));
    put('statusMessage', m.status?.message);
  }
  if (m.kind === 'Response') {
    s.assertionCount = m.assertions.length;
    s.encryptedAssertionCount = m.encryptedAssertions.length;
    const a = m.assertions[0];
    if (a) {
      if (a.signatures.length) parts.push('Assertion');
      put('nameId', a.nameId?.value);
      put('nameIdFormat', a.nameId?.format);
      put('audience', a.conditions?.audiences[0]?.value);
      put('recipient', a.subjectConfirmations.find((c) => c.data?.recipient)?.data?.recipient);
      put('notBefore', a.conditions?.notBefore);
      put('notOnOrAfter', a.conditions?.notOnOrAfter);
      s.attributeCount = a.attributes.length;
      if (!m.issuer) put('issuer', a.issuer?.value);
    }
  }
  if (m.kind === 'LogoutRequest') put('nameId', m.nameId?.value);
  s.signedParts = parts.length ? parts.join('+') : 'none';
  put('signatureAlgorithm', m.allSignatures[0]?.signatureMethod);
  return s;
}
