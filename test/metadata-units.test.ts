// lib/signature/metadata.ts piece by piece: every error and warning word for word, what is read
// from each element (endpoints, certificates by use, NameID formats), which ACS URL is the default,
// and every sentence compareWithTraffic can say. metadata.test.ts reads the files the two sides
// publish; this file reads the edges of them.
import { describe, expect, it } from 'vitest';
import {
  AWS_IDP_METADATA_MAX_CHARS,
  compareWithTraffic,
  defaultAcs,
  describeMetadataCertificates,
  isMetadataError,
  metadataExpectations,
  parseMetadata,
  type IdpMetadata,
  type SpMetadata,
} from '../lib/signature/metadata.ts';
import { analyzeWithSignatures } from './signed.ts';
import { LAB, makeAuthnRequest, makeResponse, sign, toPost, toRedirect } from './lab/factory.ts';
import { IDP_KEY, OTHER_KEY } from './lab/keys.ts';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const kd = (cert: string, use?: string) => `<KeyDescriptor${use === undefined ? '' : ` use="${use}"`}><KeyInfo xmlns="${DS}"><X509Data><X509Certificate>${cert}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`;
const ed = (inner: string, entityId: string | null = 'urn:e') => `<EntityDescriptor xmlns="${MD}"${entityId === null ? '' : ` entityID="${entityId}"`}>${inner}</EntityDescriptor>`;
const idpRole = (inner: string) => `<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${inner}</IDPSSODescriptor>`;
const spRole = (inner: string, attrs = '') => `<SPSSODescriptor${attrs} protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${inner}</SPSSODescriptor>`;
const sso = (loc: string, binding = REDIRECT) => `<SingleSignOnService Binding="${binding}" Location="${loc}"/>`;

describe('what is not metadata, or not the side asked for', () => {
  it('not XML, another root, an empty EntitiesDescriptor', () => {
    const e = parseMetadata('<a><b></a>');
    expect(isMetadataError(e)).toBe(true);
    expect((e as { message: string }).message).toMatch(/^The metadata is not readable XML: \S/);
    // The advice is about the file, not a captured message (found by a review).
    expect((e as { message: string }).message).not.toContain('Capture the message again');
    expect((e as { message: string }).message).toMatch(/ Download the metadata file again \(Entra's App Federation Metadata, AWS's IAM Identity Center SAML metadata\) rather than copying its text\.$/);
    expect(parseMetadata('<html xmlns="http://www.w3.org/1999/xhtml"/>')).toStrictEqual({ ok: false, message: 'This is not SAML metadata: the root element is <html>, not <EntityDescriptor>.' });
    expect(parseMetadata(`<md:IDPSSODescriptor xmlns:md="${MD}"/>`)).toStrictEqual({ ok: false, message: 'This is not SAML metadata: the root element is <md:IDPSSODescriptor>, not <EntityDescriptor>.' });
    expect(parseMetadata(`<EntitiesDescriptor xmlns="${MD}"/>`)).toStrictEqual({ ok: false, message: 'The metadata is an EntitiesDescriptor with no EntityDescriptor in the SAML metadata namespace.' });
    expect(parseMetadata(`<md:EntitiesDescriptor xmlns:md="urn:x"/>`)).toStrictEqual({
      ok: false,
      message: `This is not SAML metadata: the root element <md:EntitiesDescriptor> is in the namespace "urn:x", not SAML metadata's ${MD}.`,
    });
  });
  it('the other side, or neither', () => {
    expect(parseMetadata(ed(spRole('')), 'idp')).toStrictEqual({
      ok: false,
      message: "This is a service provider's metadata (it has SPSSODescriptor), not Entra's federation metadata: import it as the AWS SP metadata.",
    });
    expect(parseMetadata(ed(''), 'idp')).toStrictEqual({ ok: false, message: "The metadata has no IDPSSODescriptor: it is not an identity provider's federation metadata." });
    expect(parseMetadata(ed(idpRole('')), 'sp')).toStrictEqual({
      ok: false,
      message: "This is an identity provider's metadata (it has IDPSSODescriptor), not AWS's SP metadata: import it as the Entra federation metadata.",
    });
    expect(parseMetadata(ed(''), 'sp')).toStrictEqual({ ok: false, message: "The metadata has no SPSSODescriptor: it is not a service provider's metadata." });
    // Not told which: an IDPSSODescriptor makes it the IdP's, else it is read as the SP's.
    expect(parseMetadata(ed(''))).toStrictEqual({ ok: false, message: "The metadata has no SPSSODescriptor: it is not a service provider's metadata." });
    expect(parseMetadata(ed(idpRole(sso('https://i/sso') + kd(IDP_KEY.certBase64))))).toMatchObject({ kind: 'idp' });
    expect(parseMetadata(ed(spRole('')))).toMatchObject({ kind: 'sp' });
  });
  it('isMetadataError: only an object with ok false', () => {
    expect(isMetadataError({ ok: false, message: 'x' })).toBe(true);
    for (const x of [undefined, null, 'x', 0, {}, { ok: true }, { kind: 'idp' }]) expect(isMetadataError(x), String(x)).toBe(false);
  });
});

describe('IdP metadata', () => {
  it('everything read, and nothing to warn about', () => {
    const xml = ed(idpRole(kd(IDP_KEY.certBase64, 'signing') + sso('https://i/sso') + sso('https://i/post', POST)), 'https://sts/x/');
    expect(parseMetadata(xml, 'idp')).toStrictEqual({
      kind: 'idp',
      entityId: 'https://sts/x/',
      signingCertificates: [IDP_KEY.certBase64],
      ssoUrls: [
        { binding: REDIRECT, location: 'https://i/sso' },
        { binding: POST, location: 'https://i/post' },
      ],
      warnings: [],
      size: xml.length,
    });
  });
  it('what AWS requires and does not find, each said', () => {
    expect(parseMetadata(ed(idpRole(''), null), 'idp')).toStrictEqual({
      kind: 'idp',
      signingCertificates: [],
      ssoUrls: [],
      warnings: [
        'The metadata has no entityID; AWS requires one.',
        'The metadata holds no signing certificate; AWS requires one.',
        'The metadata has no SingleSignOnService (sign-in URL); AWS requires one.',
      ],
      size: ed(idpRole(''), null).length,
    });
    expect((parseMetadata(ed(idpRole(''), ''), 'idp') as IdpMetadata).warnings[0]).toBe('The metadata has no entityID; AWS requires one.');
  });
  it('certificates: use="signing" or no use, in order, once; encryption keys warned about and not taken', () => {
    const m = parseMetadata(
      ed(idpRole(kd(IDP_KEY.certBase64) + kd(OTHER_KEY.certBase64, 'encryption') + kd(`\n ${OTHER_KEY.certBase64.slice(0, 30)}\n${OTHER_KEY.certBase64.slice(30)} `, 'signing') + kd(IDP_KEY.certBase64, 'signing') + kd('', 'signing') + sso('https://i'))),
      'idp',
    ) as IdpMetadata;
    expect(m.signingCertificates).toStrictEqual([IDP_KEY.certBase64, OTHER_KEY.certBase64]);
    expect(m.warnings).toStrictEqual(['The metadata has an encryption key (KeyDescriptor use="encryption"); AWS IAM Identity Center does not support one in IdP metadata.']);
    // Another use (not one SAML names) is not a signing key either.
    expect((parseMetadata(ed(idpRole(kd(IDP_KEY.certBase64, 'other') + sso('https://i'))), 'idp') as IdpMetadata).signingCertificates).toStrictEqual([]);
    // A certificate under another KeyInfo element's namespace, or at the role's own level, is not read.
    const loose = `<X509Certificate xmlns="${DS}">${OTHER_KEY.certBase64}</X509Certificate>`;
    expect((parseMetadata(ed(idpRole(loose + kd(IDP_KEY.certBase64) + sso('https://i'))), 'idp') as IdpMetadata).signingCertificates).toStrictEqual([IDP_KEY.certBase64]);
  });
  it(`a file of more than ${AWS_IDP_METADATA_MAX_CHARS} characters, counted after a BOM`, () => {
    const base = ed(idpRole(kd(IDP_KEY.certBase64) + sso('https://i')));
    const pad = (n: number) => base.replace('</EntityDescriptor>', `<!--${'x'.repeat(n)}--></EntityDescriptor>`);
    const exact = pad(AWS_IDP_METADATA_MAX_CHARS - base.length - 7);
    expect(exact.length).toBe(AWS_IDP_METADATA_MAX_CHARS);
    expect((parseMetadata(`\uFEFF${exact}`, 'idp') as IdpMetadata)).toMatchObject({ warnings: [], size: AWS_IDP_METADATA_MAX_CHARS });
    const over = pad(AWS_IDP_METADATA_MAX_CHARS - base.length - 6);
    expect((parseMetadata(over, 'idp') as IdpMetadata).warnings).toStrictEqual([
      `The file has ${AWS_IDP_METADATA_MAX_CHARS + 1} characters; AWS IAM Identity Center takes IdP metadata of at most ${AWS_IDP_METADATA_MAX_CHARS} characters.`,
    ]);
  });
});

describe('SP metadata', () => {
  it('everything read', () => {
    const xml = ed(
      spRole(
        `<NameIDFormat> urn:f1 </NameIDFormat><NameIDFormat>urn:f2</NameIDFormat>${kd(OTHER_KEY.certBase64)}` +
          `<AssertionConsumerService Binding="${POST}" Location="https://a/1" index="1"/><AssertionConsumerService Binding="${REDIRECT}" Location="https://a/0" index="0" isDefault="false"/>`,
        ' WantAssertionsSigned="true" AuthnRequestsSigned="false"',
      ),
      'https://sp',
    );
    expect(parseMetadata(xml, 'sp')).toStrictEqual({
      kind: 'sp',
      entityId: 'https://sp',
      acsUrls: [
        { binding: POST, location: 'https://a/1', index: 1 },
        { binding: REDIRECT, location: 'https://a/0', index: 0, isDefault: false },
      ],
      nameIdFormats: ['urn:f1', 'urn:f2'],
      wantAssertionsSigned: 'true',
      authnRequestsSigned: 'false',
      signingCertificates: [OTHER_KEY.certBase64],
      warnings: [],
      size: xml.length,
    });
  });
  it('no entityID, no ACS URL: warned; the signing flags only when written', () => {
    expect(parseMetadata(ed(spRole(''), null), 'sp')).toStrictEqual({
      kind: 'sp',
      acsUrls: [],
      nameIdFormats: [],
      signingCertificates: [],
      warnings: ['The metadata has no entityID.', 'The metadata has no AssertionConsumerService (ACS URL).'],
      size: ed(spRole(''), null).length,
    });
  });
  it('endpoint attributes: a missing Binding or Location is empty; index only when a number; isDefault true or 1', () => {
    const acs = (a: string) => (parseMetadata(ed(spRole(`<AssertionConsumerService ${a}/>`)), 'sp') as SpMetadata).acsUrls[0];
    expect(acs('')).toStrictEqual({ binding: '', location: '' });
    expect(acs('index="x1"')).toStrictEqual({ binding: '', location: '' });
    expect(acs('index="1x"')).toStrictEqual({ binding: '', location: '' });
    expect(acs('index="-1"')).toStrictEqual({ binding: '', location: '' });
    expect(acs('index="12"')).toStrictEqual({ binding: '', location: '', index: 12 });
    expect(acs('isDefault="1"')).toStrictEqual({ binding: '', location: '', isDefault: true });
    expect(acs('isDefault="true"')).toStrictEqual({ binding: '', location: '', isDefault: true });
    expect(acs('isDefault="TRUE"')).toStrictEqual({ binding: '', location: '', isDefault: false });
    expect(acs('isDefault="0"')).toStrictEqual({ binding: '', location: '', isDefault: false });
  });
  it('an EntitiesDescriptor: its first EntityDescriptor, at any depth', () => {
    const inner = ed(spRole(''), 'urn:first') + ed(spRole(''), 'urn:second');
    expect((parseMetadata(`<EntitiesDescriptor xmlns="${MD}"><EntitiesDescriptor>${inner}</EntitiesDescriptor></EntitiesDescriptor>`, 'sp') as SpMetadata).entityId).toBe('urn:first');
  });
});

describe('the default ACS URL', () => {
  const sp = (acsUrls: SpMetadata['acsUrls']): SpMetadata => ({ kind: 'sp', acsUrls, nameIdFormats: [], signingCertificates: [], warnings: [], size: 0 });
  it('isDefault first, else the lowest index, else the first; HTTP-POST endpoints before others', () => {
    expect(defaultAcs(sp([]))).toBeUndefined();
    expect(defaultAcs(sp([{ binding: POST, location: 'a', index: 2 }, { binding: POST, location: 'b', index: 1, isDefault: false }, { binding: POST, location: 'c' }]))!.location).toBe('b');
    expect(defaultAcs(sp([{ binding: POST, location: 'a', index: 0 }, { binding: POST, location: 'b', index: 5, isDefault: true }]))!.location).toBe('b');
    expect(defaultAcs(sp([{ binding: POST, location: 'a' }, { binding: POST, location: 'b' }]))!.location).toBe('a');
    expect(defaultAcs(sp([{ binding: POST, location: 'a' }, { binding: POST, location: 'b', index: 7 }]))!.location).toBe('b');
    expect(defaultAcs(sp([{ binding: REDIRECT, location: 'r', isDefault: true }, { binding: POST, location: 'p', index: 3 }]))!.location).toBe('p');
    expect(defaultAcs(sp([{ binding: REDIRECT, location: 'r1', index: 2 }, { binding: 'urn:x', location: 'r2', index: 1 }]))!.location).toBe('r2');
  });
  it('does not reorder the metadata it reads', () => {
    const m = sp([{ binding: POST, location: 'a', index: 2 }, { binding: POST, location: 'b', index: 1 }]);
    defaultAcs(m);
    expect(m.acsUrls.map((a) => a.location)).toStrictEqual(['a', 'b']);
  });
});

describe('expectations from metadata', () => {
  const idp = (o: Partial<IdpMetadata>): { metadata: IdpMetadata; name: string } => ({ metadata: { kind: 'idp', signingCertificates: [], ssoUrls: [], warnings: [], size: 0, ...o }, name: 'e.xml' });
  const sp = (o: Partial<SpMetadata>): { metadata: SpMetadata; name: string } => ({ metadata: { kind: 'sp', acsUrls: [], nameIdFormats: [], signingCertificates: [], warnings: [], size: 0, ...o }, name: 'a.xml' });
  it('only what the files hold, each with its source; nothing at all is no sources', () => {
    expect(metadataExpectations()).toStrictEqual({});
    expect(metadataExpectations(idp({}), sp({}))).toStrictEqual({});
    expect(metadataExpectations(idp({ signingCertificates: ['C'] }))).toStrictEqual({ idpCertificates: ['C'], sources: { idpCertificates: 'the Entra federation metadata (e.xml)' } });
    expect(metadataExpectations(undefined, sp({ acsUrls: [{ binding: POST, location: '' }] }))).toStrictEqual({});
    expect(metadataExpectations(undefined, sp({ entityId: 'urn:sp', acsUrls: [{ binding: POST, location: 'https://a' }] }))).toStrictEqual({
      spEntityId: 'urn:sp',
      acsUrl: 'https://a',
      sources: { spEntityId: 'the AWS SP metadata (a.xml)', acsUrl: 'the AWS SP metadata (a.xml)' },
    });
  });
});

describe('what compareWithTraffic says, sentence by sentence', () => {
  const idpMd = (o: Partial<IdpMetadata> = {}) => ({
    metadata: { kind: 'idp' as const, entityId: LAB.issuer, signingCertificates: [IDP_KEY.certBase64], ssoUrls: [{ binding: REDIRECT, location: `${LAB.ssoUrl}?x=1` }], warnings: [], size: 0, ...o },
    name: 'entra.xml',
  });
  const spMd = (o: Partial<SpMetadata> = {}) => ({
    metadata: { kind: 'sp' as const, entityId: LAB.spEntityId, acsUrls: [{ binding: POST, location: LAB.acsUrl }], nameIdFormats: [], signingCertificates: [], warnings: [], size: 0, ...o },
    name: 'aws.xml',
  });
  const run = (messages: Parameters<typeof analyzeWithSignatures>[0]['messages']) => analyzeWithSignatures({ messages });
  const label = (k: { sha1: string }, other = false) => `CN=Microsoft Azure Federated SSO Certificate${other ? ' (other)' : ''} (SHA-1 thumbprint ${k.sha1})`;

  it('the IdP entity ID, from the Response Issuer or else the Assertion Issuer', async () => {
    const r = await run([{ id: 'r', raw: toPost(sign(makeResponse({ issuer: 'https://sts.windows.net/other/' }))), param: 'SAMLResponse', url: LAB.acsUrl }]);
    expect(compareWithTraffic(r, idpMd())).toStrictEqual([{ subject: 'IdP entity ID', messageId: 'r', text: `Entra issues as https://sts.windows.net/other/; the metadata you gave (entra.xml) is for ${LAB.issuer}.` }]);
    const noIssuer = await run([{ id: 'r', raw: toPost(sign(makeResponse({ issuer: null, assertionIssuer: 'https://sts.windows.net/a/' }))), param: 'SAMLResponse', url: LAB.acsUrl }]);
    expect(compareWithTraffic(noIssuer, idpMd()).map((d) => d.text)).toStrictEqual([`Entra issues as https://sts.windows.net/a/; the metadata you gave (entra.xml) is for ${LAB.issuer}.`]);
    // Metadata with no entity ID has nothing to compare.
    expect(compareWithTraffic(r, idpMd({ entityId: undefined as never }))).toStrictEqual([]);
  });
  it('the signing certificate: the one that verified, else the one KeyInfo carries; "no signing certificate" when the file has none', async () => {
    const other = await run([{ id: 'r', raw: toPost(sign(makeResponse({}), { key: OTHER_KEY, target: 'both' })), param: 'SAMLResponse', url: LAB.acsUrl }]);
    // Two signatures by the same other key: said once.
    expect(compareWithTraffic(other, idpMd())).toStrictEqual([
      { subject: 'signing certificate', messageId: 'r', text: `Entra signs with certificate ${label(OTHER_KEY, true)}; the metadata you gave (entra.xml) holds ${label(IDP_KEY)}.` },
    ]);
    expect(compareWithTraffic(other, idpMd({ signingCertificates: [] }))[0]!.text).toBe(`Entra signs with certificate ${label(OTHER_KEY, true)}; the metadata you gave (entra.xml) holds no signing certificate.`);
    expect(compareWithTraffic(other, idpMd({ signingCertificates: [IDP_KEY.certBase64, 'AAAA'] }))[0]!.text).toBe(
      `Entra signs with certificate ${label(OTHER_KEY, true)}; the metadata you gave (entra.xml) holds ${label(IDP_KEY)}; an unreadable certificate (AAAA).`,
    );
    expect(compareWithTraffic(other, idpMd({ signingCertificates: [OTHER_KEY.certBase64] }))).toStrictEqual([]);
    // KeyInfo names the other key, but the configured one verified it: the verdict's certificate counts.
    const keyInfoSays = sign(makeResponse({})).replace(IDP_KEY.certBase64, OTHER_KEY.certBase64);
    const verified = await analyzeWithSignatures({
      messages: [{ id: 'r', raw: toPost(keyInfoSays), param: 'SAMLResponse', url: LAB.acsUrl }],
      expectations: { idpCertificates: [IDP_KEY.certBase64] },
    });
    expect(compareWithTraffic(verified, idpMd())).toStrictEqual([]);
    // Without verdicts, the KeyInfo certificate is what the message says it was signed with.
    expect(compareWithTraffic({ messages: verified.messages }, idpMd()).map((d) => d.subject)).toStrictEqual(['signing certificate']);
    // An unsigned response has no certificate to compare.
    const unsigned = await run([{ id: 'r', raw: toPost(makeResponse({})), param: 'SAMLResponse', url: LAB.acsUrl }]);
    expect(compareWithTraffic(unsigned, idpMd())).toStrictEqual([]);
  });
  it('the IdP sign-in URL, the query string ignored, from where the request went or else its Destination', async () => {
    const req = (url: string | undefined) =>
      run([{ id: 'q', raw: toRedirect(makeAuthnRequest({ destination: 'https://login.microsoftonline.com/dest/saml2' })), param: 'SAMLRequest', binding: 'redirect', ...(url ? { url } : {}) }]);
    expect(compareWithTraffic(await req(`${LAB.ssoUrl}?SAMLRequest=abc`), idpMd())).toStrictEqual([]);
    expect(compareWithTraffic(await req('https://login.microsoftonline.com/other/saml2?SAMLRequest=abc'), idpMd())).toStrictEqual([
      {
        subject: 'IdP sign-in URL',
        messageId: 'q',
        text: `AWS sends the AuthnRequest to https://login.microsoftonline.com/other/saml2?SAMLRequest=abc; the metadata you gave (entra.xml) names ${LAB.ssoUrl}?x=1.`,
      },
    ]);
    const twice = idpMd({ ssoUrls: [{ binding: REDIRECT, location: 'https://a' }, { binding: POST, location: 'https://a' }, { binding: POST, location: 'https://b' }] });
    expect(compareWithTraffic(await req(undefined), twice)[0]!.text).toBe('AWS sends the AuthnRequest to https://login.microsoftonline.com/dest/saml2; the metadata you gave (entra.xml) names https://a, https://b.');
    // No sign-in URL in the file: nothing to compare.
    expect(compareWithTraffic(await req(undefined), idpMd({ ssoUrls: [] }))).toStrictEqual([]);
  });
  it('the SP entity ID and the ACS URL, from the Response and from the AuthnRequest', async () => {
    const resp = await run([
      { id: 'r', raw: toPost(sign(makeResponse({ audience: ['urn:a1', LAB.spEntityId], destination: 'https://d', recipient: 'https://rcp' }))), param: 'SAMLResponse', url: 'https://d' },
    ]);
    expect(compareWithTraffic(resp, undefined, spMd())).toStrictEqual([
      { subject: 'SP entity ID', messageId: 'r', text: `Entra sends the assertion for audience urn:a1; the AWS SP metadata you gave (aws.xml) has entity ID ${LAB.spEntityId}.` },
      { subject: 'ACS URL', messageId: 'r', text: `Entra posts the response to https://d; the AWS SP metadata you gave (aws.xml) lists ${LAB.acsUrl}.` },
      { subject: 'ACS URL', messageId: 'r', text: `Entra posts the response to https://rcp; the AWS SP metadata you gave (aws.xml) lists ${LAB.acsUrl}.` },
    ]);
    expect(compareWithTraffic(resp, undefined, spMd({ entityId: undefined as never, acsUrls: [] }))).toStrictEqual([]);
    expect(compareWithTraffic(resp, undefined, spMd({ acsUrls: [{ binding: POST, location: 'https://d' }, { binding: POST, location: 'https://rcp' }] })).map((d) => d.subject)).toStrictEqual(['SP entity ID']);
    const req = await run([{ id: 'q', raw: toRedirect(makeAuthnRequest({ issuer: 'urn:other-sp', acsUrl: 'https://x/acs' })), param: 'SAMLRequest', binding: 'redirect', url: LAB.ssoUrl }]);
    expect(compareWithTraffic(req, undefined, spMd({ acsUrls: [{ binding: POST, location: 'https://a1' }, { binding: POST, location: 'https://a2' }] }))).toStrictEqual([
      { subject: 'SP entity ID', messageId: 'q', text: `AWS sends AuthnRequests as urn:other-sp; the AWS SP metadata you gave (aws.xml) has entity ID ${LAB.spEntityId}.` },
      { subject: 'ACS URL', messageId: 'q', text: 'AWS asks for the response at https://x/acs; the AWS SP metadata you gave (aws.xml) lists https://a1, https://a2.' },
    ]);
    expect(compareWithTraffic(req, undefined, spMd({ entityId: 'urn:other-sp', acsUrls: [{ binding: POST, location: 'https://x/acs' }] }))).toStrictEqual([]);
  });
  it('the same disagreement in several messages is said once, with the first message', async () => {
    const raw = toPost(sign(makeResponse({ issuer: 'https://sts.windows.net/other/' })));
    const r = await run([
      { id: 'r1', raw, param: 'SAMLResponse', url: LAB.acsUrl },
      { id: 'r2', raw, param: 'SAMLResponse', url: LAB.acsUrl },
      { id: 'bad', raw: '%%%', param: 'SAMLResponse', url: LAB.acsUrl },
    ]);
    expect(compareWithTraffic(r, idpMd()).map((d) => [d.subject, d.messageId])).toStrictEqual([['IdP entity ID', 'r1']]);
    // No metadata: nothing said.
    expect(compareWithTraffic(r)).toStrictEqual([]);
  });
});

describe('describeMetadataCertificates', () => {
  it('a label with the end of validity, or why it cannot be read', () => {
    const [good, bad] = describeMetadataCertificates([IDP_KEY.certBase64, 'AAAA']);
    expect(good).toMatch(new RegExp(`^CN=Microsoft Azure Federated SSO Certificate \\(SHA-1 thumbprint ${IDP_KEY.sha1}\\), valid to \\d{4}-\\d{2}-\\d{2}$`));
    expect(bad).toMatch(/^unreadable certificate: \S/);
    expect(describeMetadataCertificates([])).toStrictEqual([]);
  });
});
