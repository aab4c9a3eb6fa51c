// Importing Entra federation metadata and AWS SP metadata: what is read, the expectations it
// fills, and where captured traffic disagrees with it.
import { describe, expect, it } from 'vitest';
import {
  compareWithTraffic,
  defaultAcs,
  isMetadataError,
  metadataExpectations,
  parseMetadata,
  type IdpMetadata,
  type SpMetadata,
} from '../lib/signature/metadata.ts';
import { analyzeWithSignatures } from './signed.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } from './lab/factory.ts';
import { IDP_KEY, OTHER_KEY } from './lab/keys.ts';
import { awsSpMetadata, entraMetadata } from './fixtures/metadata.ts';

const idp = (xml: string) => {
  const m = parseMetadata(xml, 'idp');
  if (isMetadataError(m)) throw new Error(m.message);
  return m as IdpMetadata;
};
const sp = (xml: string) => {
  const m = parseMetadata(xml, 'sp');
  if (isMetadataError(m)) throw new Error(m.message);
  return m as SpMetadata;
};

describe('Entra federation metadata', () => {
  it('reads entity ID, signing certificates (IDPSSODescriptor, in order, no duplicates) and sign-in URLs, BOM and all', () => {
    const m = idp(entraMetadata([IDP_KEY.certBase64, OTHER_KEY.certBase64]));
    expect(m.entityId).toBe(LAB.issuer);
    expect(m.signingCertificates).toEqual([IDP_KEY.certBase64, OTHER_KEY.certBase64]);
    expect(m.ssoUrls.map((u) => u.location)).toEqual([LAB.ssoUrl, LAB.ssoUrl]);
    expect(m.warnings).toEqual([]);
  });
  it('warns about what AWS refuses: an encryption key, a file over 75000 characters', () => {
    const m = idp(entraMetadata([IDP_KEY.certBase64], { encryption: OTHER_KEY.certBase64, padding: 80000 }));
    expect(m.signingCertificates).toEqual([IDP_KEY.certBase64]);
    expect(m.warnings.join(' ')).toContain('encryption key');
    expect(m.warnings.join(' ')).toContain('at most 75000 characters');
  });
  it('says which file was given when the sides are swapped, or it is not metadata', () => {
    expect(parseMetadata(awsSpMetadata(), 'idp')).toMatchObject({ ok: false, message: expect.stringContaining('import it as the AWS SP metadata') });
    expect(parseMetadata(entraMetadata([IDP_KEY.certBase64]), 'sp')).toMatchObject({ ok: false, message: expect.stringContaining('import it as the Entra federation metadata') });
    expect(parseMetadata('<html/>')).toMatchObject({ ok: false, message: expect.stringContaining('not SAML metadata') });
    expect(parseMetadata('<!DOCTYPE x><x/>')).toMatchObject({ ok: false });
  });
});

describe('metadata is read by namespace URI, not by local name (issue 17)', () => {
  const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
  it('reads metadata whatever prefix binds its namespace, and the certificate under any ds prefix', () => {
    const xml = entraMetadata([IDP_KEY.certBase64])
      .replace('<EntityDescriptor ', '<q:EntityDescriptor ')
      .replace(`xmlns="${MD}"`, `xmlns:q="${MD}"`)
      .replace(/<(\/?)(RoleDescriptor|IDPSSODescriptor|KeyDescriptor|SingleLogoutService|SingleSignOnService|EntityDescriptor)\b/g, '<$1q:$2')
      .replace(/<(\/?)(KeyInfo|X509Data|X509Certificate)\b/g, '<$1dsig:$2')
      .replace(/xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#"/g, 'xmlns:dsig="http://www.w3.org/2000/09/xmldsig#"');
    const m = idp(xml);
    expect(m.entityId).toBe(LAB.issuer);
    expect(m.signingCertificates).toEqual([IDP_KEY.certBase64]);
    expect(m.ssoUrls).toHaveLength(2);
  });
  it('refuses an EntityDescriptor in a foreign namespace or in none, naming the namespace', () => {
    const foreign = entraMetadata([IDP_KEY.certBase64]).replace(`xmlns="${MD}"`, 'xmlns="urn:example:not-metadata"');
    expect(parseMetadata(foreign, 'idp')).toEqual({
      ok: false,
      message: `This is not SAML metadata: the root element <EntityDescriptor> is in the namespace "urn:example:not-metadata", not SAML metadata's ${MD}.`,
    });
    const none = awsSpMetadata().replace(/md:/g, '').replace(` xmlns="${MD}"`, '').replace(`xmlns:md="${MD}"`, '');
    expect(parseMetadata(none, 'sp')).toMatchObject({ ok: false, message: expect.stringContaining('is in the namespace (none)') });
  });
  it('does not take an IDPSSODescriptor, KeyDescriptor or certificate of another namespace for metadata', () => {
    const xml = entraMetadata([IDP_KEY.certBase64])
      .replace('<IDPSSODescriptor ', '<IDPSSODescriptor xmlns="urn:example:other" ')
      .replace(/<RoleDescriptor[\s\S]*<\/RoleDescriptor>/, '');
    expect(parseMetadata(xml, 'idp')).toMatchObject({ ok: false, message: expect.stringContaining('has no IDPSSODescriptor') });
    const fakeCert = entraMetadata([IDP_KEY.certBase64]).replace(
      /<IDPSSODescriptor([^>]*)>[\s\S]*?<SingleLogoutService/,
      `<IDPSSODescriptor$1><KeyDescriptor use="signing"><KeyInfo xmlns="urn:example:notdsig"><X509Data><X509Certificate>${OTHER_KEY.certBase64}</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleLogoutService`,
    );
    const m = idp(fakeCert);
    expect(m.signingCertificates).toEqual([]);
    expect(m.warnings).toContain('The metadata holds no signing certificate; AWS requires one.');
  });
  it('finds the EntityDescriptor inside an EntitiesDescriptor only in the metadata namespace', () => {
    const inner = awsSpMetadata().replace(/^<\?xml[^>]*\?>/, '');
    expect(sp(`<md:EntitiesDescriptor xmlns:md="${MD}">${inner}</md:EntitiesDescriptor>`).entityId).toBe(LAB.spEntityId);
    const wrongInner = inner.replace(`xmlns:md="${MD}"`, 'xmlns:md="urn:example:x"');
    expect(parseMetadata(`<md:EntitiesDescriptor xmlns:md="${MD}"><x xmlns:md="urn:example:x">${wrongInner}</x></md:EntitiesDescriptor>`, 'sp')).toMatchObject({
      ok: false,
      message: expect.stringContaining('no EntityDescriptor in the SAML metadata namespace'),
    });
  });
});

describe('AWS IAM Identity Center SP metadata', () => {
  it('reads entity ID, ACS URL (the default), NameID format and WantAssertionsSigned', () => {
    const m = sp(awsSpMetadata());
    expect(m).toMatchObject({ entityId: LAB.spEntityId, wantAssertionsSigned: 'true', authnRequestsSigned: 'false' });
    expect(m.nameIdFormats).toEqual(['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress']);
    expect(defaultAcs(m)).toMatchObject({ location: LAB.acsUrl, index: 0, isDefault: true });
  });
});

describe('metadata → expectations, and disagreements with the traffic', () => {
  const idpMd = { metadata: idp(entraMetadata([IDP_KEY.certBase64])), name: 'entra.xml' };
  const spMd = { metadata: sp(awsSpMetadata()), name: 'aws.xml' };

  it('fills the expectations and names where each came from', () => {
    expect(metadataExpectations(idpMd, spMd)).toEqual({
      idpEntityId: LAB.issuer,
      idpCertificates: [IDP_KEY.certBase64],
      spEntityId: LAB.spEntityId,
      acsUrl: LAB.acsUrl,
      sources: {
        idpEntityId: 'the Entra federation metadata (entra.xml)',
        idpCertificates: 'the Entra federation metadata (entra.xml)',
        spEntityId: 'the AWS SP metadata (aws.xml)',
        acsUrl: 'the AWS SP metadata (aws.xml)',
      },
    });
  });

  it('agrees with a clean sign-in', async () => {
    const reqId = samlId();
    const r = await analyzeWithSignatures({
      messages: [
        { id: 'q', raw: toRedirect(makeAuthnRequest({ id: reqId })), param: 'SAMLRequest', binding: 'redirect', url: LAB.ssoUrl },
        { id: 'r', raw: toPost(signedResponse({ inResponseTo: reqId })), param: 'SAMLResponse', url: LAB.acsUrl },
      ],
      expectations: metadataExpectations(idpMd, spMd),
    });
    expect(compareWithTraffic(r, idpMd, spMd)).toEqual([]);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('"Entra signs with certificate A; the metadata you gave holds certificate B", and the checks say it with the source', async () => {
    const r = await analyzeWithSignatures({
      messages: [{ id: 'r', raw: toPost(signedResponse({ audience: 'https://signin.aws.amazon.com/saml' }, { key: OTHER_KEY })), param: 'SAMLResponse', url: LAB.acsUrl }],
      expectations: metadataExpectations(idpMd, spMd),
    });
    const d = compareWithTraffic(r, idpMd, spMd);
    expect(d.map((x) => x.subject)).toEqual(['signing certificate', 'SP entity ID']);
    expect(d[0]!.text).toBe(
      `Entra signs with certificate CN=Microsoft Azure Federated SSO Certificate (other) (SHA-1 thumbprint ${OTHER_KEY.sha1}); the metadata you gave (entra.xml) holds CN=Microsoft Azure Federated SSO Certificate (SHA-1 thumbprint ${IDP_KEY.sha1}).`,
    );
    const mismatch = r.findings.find((f) => f.checkId === 'signature-cert-mismatch')!;
    expect(mismatch.severity).toBe('error');
    expect(mismatch.evidence[0]!.source).toBe('the Entra federation metadata (entra.xml)');
    const audience = r.findings.find((f) => f.checkId === 'audience-mismatch' || f.checkId === 'iam-federation-mixup')!;
    expect(JSON.stringify(audience.evidence)).toContain('the AWS SP metadata (aws.xml)');
  });

  it('names another ACS URL and another sign-in URL', async () => {
    const other = 'https://eu-west-1.signin.aws/platform/saml/acs/00000000-0000-0000-0000-000000000000';
    const r = await analyzeWithSignatures({
      messages: [
        { id: 'q', raw: toRedirect(makeAuthnRequest({ acsUrl: other })), param: 'SAMLRequest', binding: 'redirect', url: 'https://login.microsoftonline.com/common/saml2' },
        { id: 'r', raw: toPost(signedResponse({ destination: other, recipient: other })), param: 'SAMLResponse', url: other },
      ],
    });
    const d = compareWithTraffic(r, idpMd, spMd);
    expect(d.map((x) => x.subject).sort()).toEqual(['ACS URL', 'ACS URL', 'IdP sign-in URL']);
    expect(d.find((x) => x.subject === 'IdP sign-in URL')!.text).toContain(LAB.ssoUrl);
  });
});
