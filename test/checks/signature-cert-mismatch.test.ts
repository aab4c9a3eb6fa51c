// signature-cert-mismatch: the signing certificate against the configured IdP certificates, or,
// with nothing configured, against the first certificate seen for the tenant (pinned).
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/types.ts';
import type { CertificatePins } from '../../lib/signature/types.ts';
import { LAB, makeAuthnRequest, makeResponse, samlId, signedResponse } from '../lab/factory.ts';
import { IDP_KEY, OTHER_KEY } from '../lab/keys.ts';
import { expectWellFormed, findingsFor, verifiedFindingsFor, type Case } from './harness.ts';
import { AWS_IDP_CERT, ENTRA_CERT } from '../../lib/checks/fixes.ts';

// The fixes word for word.
const FIX_ROLLOVER =
  `Make Entra and AWS hold the same certificate. See which certificate Entra signs with in ${ENTRA_CERT} (Status: Active; compare the Thumbprint, the SHA-1 fingerprint below). ` +
  `Then upload it to AWS: ${AWS_IDP_CERT} → import the certificate (or the Federation Metadata XML from ${ENTRA_CERT}). ` +
  'Identity Center trusts only the certificate uploaded to it, so sign-in fails from the moment Entra signs with a certificate AWS does not hold.';
const FIX_CONFIGURE =
  'Nothing to change for the sign-in itself. To check that AWS trusts this certificate, give samlscope the certificate Identity Center holds: ' +
  `on the options page paste it or import the Entra federation metadata (${ENTRA_CERT} → Federation Metadata XML), or on the command line use --idp-cert FILE or --idp-metadata FILE.`;
const label = (k: { sha1: string }, other = false) => `CN=Microsoft Azure Federated SSO Certificate${other ? ' (other)' : ''} (SHA-1 thumbprint ${k.sha1})`;

const ID = 'signature-cert-mismatch';
const reqId = samlId();
const KEYINFO = '/Response/Assertion/Signature/KeyInfo/X509Data/X509Certificate';
const sha256Of = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, '');
const pinOf = (cert: string, firstSeen = '2026-01-05T08:00:00.000Z'): CertificatePins => ({
  [LAB.tenantId]: { tenantId: LAB.tenantId, certificate: cert, sha1: cert === IDP_KEY.certBase64 ? IDP_KEY.sha1 : OTHER_KEY.sha1, firstSeen },
});

interface C extends Case {
  pins?: CertificatePins;
  /** Run on the synchronous path (analyze) instead of analyzeWithSignatures. */
  sync?: boolean;
}

const pass: C[] = [
  {
    name: 'clean signed Entra response, SP-initiated, IdP certificate configured',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId }),
    expectations: { idpCertificates: [IDP_KEY.certPem] },
  },
  { name: 'clean signed Entra response, IdP-initiated, certificate given as bare base64', response: signedResponse(), expectations: { idpCertificates: [IDP_KEY.certBase64] } },
  {
    name: 'two certificates during a rollover (metadata lists both), signed with one',
    response: signedResponse({}, { key: OTHER_KEY }),
    expectations: { idpCertificates: [IDP_KEY.certPem, OTHER_KEY.certPem] },
  },
  { name: 'Response and Assertion signed, configured', response: signedResponse({}, { target: 'both' }), expectations: { idpCertificates: [IDP_KEY.certPem] } },
  { name: 'nothing configured, synchronous path: silent', response: signedResponse({}, { key: OTHER_KEY }), sync: true },
  { name: 'unsigned (signature-missing reports it)', response: makeResponse(), expectations: { idpCertificates: [IDP_KEY.certPem] } },
];

interface Fail extends C {
  keys: string[];
  severity: 'error' | 'warning' | 'info';
  evidence?: Partial<Evidence>[];
  message?: string;
  messageHas?: string[];
  fix: string;
}

const fail: Fail[] = [
  {
    name: 'signed by another key (OTHER_KEY) while AWS holds the IdP certificate',
    response: signedResponse({}, { key: OTHER_KEY }),
    expectations: { idpCertificates: [IDP_KEY.certPem] },
    keys: ['notExpected'],
    severity: 'error',
    evidence: [
      { label: 'SHA-1 thumbprint (the Assertion signature (/Response/Assertion/Signature))', expected: IDP_KEY.sha1, actual: OTHER_KEY.sha1, path: KEYINFO, source: 'configured' },
      { label: 'SHA-256 fingerprint', expected: sha256Of(IDP_KEY.certPem), actual: sha256Of(OTHER_KEY.certPem) },
      { label: 'subject', expected: 'CN=Microsoft Azure Federated SSO Certificate', actual: 'CN=Microsoft Azure Federated SSO Certificate (other)' },
    ],
    message: `The message is signed with ${label(OTHER_KEY, true)}, which is not among the 1 IdP certificate configured: ${label(IDP_KEY)}. Identity Center verifies with the certificate uploaded to it, so it refuses this sign-in.`,
    fix: FIX_ROLLOVER,
  },
  {
    name: 'the same on the synchronous path (KeyInfo compared without cryptography)',
    response: signedResponse({}, { key: OTHER_KEY }),
    expectations: { idpCertificates: [IDP_KEY.certPem] },
    sync: true,
    keys: ['notExpected'],
    severity: 'error',
    fix: FIX_ROLLOVER,
  },
  {
    name: 'the source of the expectation is named (imported metadata)',
    response: signedResponse({}, { key: OTHER_KEY }),
    expectations: { idpCertificates: [IDP_KEY.certPem], sources: { idpCertificates: 'the Entra federation metadata (aws.xml)' } },
    keys: ['notExpected'],
    severity: 'error',
    evidence: [{ label: 'SHA-256 fingerprint', source: 'the Entra federation metadata (aws.xml)' }],
    messageHas: ['from the Entra federation metadata (aws.xml)'],
    fix: FIX_ROLLOVER,
  },
  {
    name: 'two certificates configured, signed by neither: both named, plural',
    response: signedResponse({}, { key: OTHER_KEY }),
    expectations: { idpCertificates: [IDP_KEY.certPem, IDP_KEY.certPem] },
    keys: ['notExpected'],
    severity: 'error',
    messageHas: [`not among the 2 IdP certificates configured: ${label(IDP_KEY)}; ${label(IDP_KEY)}.`],
    evidence: [{ label: 'SHA-1 thumbprint (the Assertion signature (/Response/Assertion/Signature))', expected: `${IDP_KEY.sha1}, ${IDP_KEY.sha1}` }],
    fix: FIX_ROLLOVER,
  },
  {
    name: 'rollover: signed with a new certificate, another one pinned for the tenant',
    response: signedResponse({}, { key: OTHER_KEY }),
    pins: pinOf(IDP_KEY.certBase64),
    keys: ['rollover'],
    severity: 'warning',
    evidence: [{ expected: IDP_KEY.sha1, actual: OTHER_KEY.sha1 }],
    message: `The signing certificate changed: this message is signed with ${label(OTHER_KEY, true)}, but the first certificate seen for tenant ${LAB.tenantId} (on 2026-01-05T08:00:00Z) was ${label(IDP_KEY)}. Entra rolled its certificate over; if Identity Center still holds the old one, it refuses this sign-in.`,
    fix: FIX_ROLLOVER,
  },
  {
    name: 'first certificate seen for the tenant: pinned with a visible note',
    response: signedResponse(),
    pins: {},
    keys: ['pinned'],
    severity: 'info',
    messageHas: [`No IdP certificate is configured, so samlscope pinned the first certificate it saw for tenant ${LAB.tenantId}: ${label(IDP_KEY)}, first seen `],
    fix: FIX_CONFIGURE,
  },
  {
    name: 'matches the pinned certificate: the note stays visible',
    response: signedResponse(),
    pins: pinOf(IDP_KEY.certBase64),
    keys: ['pinned'],
    severity: 'info',
    evidence: [{ label: 'certificate of the Assertion signature (/Response/Assertion/Signature)', expected: label(IDP_KEY), actual: label(IDP_KEY), path: KEYINFO }],
    message: `No IdP certificate is configured, so samlscope pinned the first certificate it saw for tenant ${LAB.tenantId}: ${label(IDP_KEY)}, first seen 2026-01-05T08:00:00Z. Later sign-ins signed with another certificate are flagged. Whether AWS holds this certificate is unknown until you configure it.`,
    fix: FIX_CONFIGURE,
  },
  {
    name: 'verified, nothing configured and no pinning: says it cannot tell',
    response: signedResponse(),
    keys: ['notConfigured'],
    severity: 'info',
    message: `The message is signed with ${label(IDP_KEY)}; no IdP certificate is configured to compare it with, so whether Identity Center trusts it is unknown.`,
    fix: FIX_CONFIGURE,
  },
];

async function run(c: C) {
  if (c.sync) return findingsFor(c, ID);
  return verifiedFindingsFor(c, ID, c.pins ? { pins: c.pins } : {});
}

describe(ID, () => {
  for (const c of pass) {
    it(`passes: ${c.name}`, async () => {
      expect(await run(c)).toEqual([]);
    });
  }
  for (const c of fail) {
    it(`fails: ${c.name}`, async () => {
      const found = await run(c);
      expect(found.map((f) => f.messageKey)).toEqual(c.keys);
      for (const f of found) {
        expectWellFormed(f);
        expect(f.severity).toBe(c.severity);
      }
      for (const e of c.evidence ?? []) expect(found[0]!.evidence).toContainEqual(expect.objectContaining(e));
      for (const t of c.messageHas ?? []) expect(found[0]!.message).toContain(t);
      if (c.message !== undefined) expect(found[0]!.message).toBe(c.message);
      for (const f of found) expect(f.fix, 'the fix').toBe(c.fix);
    });
  }

  it('pins the first certificate per tenant in time order, and flags a later change in the same analysis', async () => {
    const { analyzeWithSignatures } = await import('../signed.ts');
    const t0 = new Date(Date.now() - 3600e3);
    const first = { id: 'r1', raw: Buffer.from(signedResponse({ issueInstant: t0 })).toString('base64'), param: 'SAMLResponse' as const, url: LAB.acsUrl, time: t0.toISOString() };
    const later = { id: 'r2', raw: Buffer.from(signedResponse({}, { key: OTHER_KEY })).toString('base64'), param: 'SAMLResponse' as const, url: LAB.acsUrl, time: new Date().toISOString() };
    const r = await analyzeWithSignatures({ messages: [later, first] }, { pins: {} });
    expect(r.newPins.map((p) => [p.tenantId, p.sha1, p.messageId])).toEqual([[LAB.tenantId, IDP_KEY.sha1, 'r1']]);
    expect(r.pins?.[LAB.tenantId]?.certificate).toBe(IDP_KEY.certBase64);
    const mine = r.findings.filter((f) => f.checkId === ID);
    expect(mine.map((f) => [f.messageId, f.messageKey])).toEqual([
      ['r2', 'rollover'],
      ['r1', 'pinned'],
    ]);
  });

  it('the evidence of a certificate AWS does not hold, whole: thumbprint, fingerprint, subject, and when the signing certificate became valid', async () => {
    const [f] = await verifiedFindingsFor({ name: 'x', response: signedResponse({}, { key: OTHER_KEY }), expectations: { idpCertificates: [IDP_KEY.certPem] } }, ID);
    const other = new X509Certificate(OTHER_KEY.certPem);
    const sig = 'the Assertion signature (/Response/Assertion/Signature)';
    expect(f?.evidence).toEqual([
      { label: `SHA-1 thumbprint (${sig})`, expected: IDP_KEY.sha1, actual: OTHER_KEY.sha1, path: KEYINFO, source: 'configured' },
      { label: 'SHA-256 fingerprint', expected: sha256Of(IDP_KEY.certPem), actual: sha256Of(OTHER_KEY.certPem), path: KEYINFO, source: 'configured' },
      { label: 'subject', expected: 'CN=Microsoft Azure Federated SSO Certificate', actual: 'CN=Microsoft Azure Federated SSO Certificate (other)', path: KEYINFO, source: 'configured' },
      { label: 'signing certificate valid from', actual: new Date(other.validFrom).toISOString().replace('.000Z', 'Z'), path: KEYINFO },
    ]);
  });

  it('does not pin when certificates are configured', async () => {
    const { analyzeWithSignatures } = await import('../signed.ts');
    const m = { id: 'r1', raw: Buffer.from(signedResponse()).toString('base64'), param: 'SAMLResponse' as const, url: LAB.acsUrl };
    const r = await analyzeWithSignatures({ messages: [m], expectations: { idpCertificates: [IDP_KEY.certPem] } }, { pins: {} });
    expect(r.newPins).toEqual([]);
    expect(r.pins).toEqual({});
  });
});
