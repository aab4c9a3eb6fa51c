// The SAML parser: namespaces by URI, every field of the model, the traps a naive reader falls
// into (comments in a NameID, entities, numbers), and errors a person can act on.
import { describe, expect, it } from 'vitest';
import { DOMParser, type Node as DomNode } from '@xmldom/xmldom';
import { isParseError, parseSaml, textInfo } from '../lib/saml/parse.ts';
import { attr, parseXml, prettyXml, type XElement, type XmlDocument, type XNode } from '../lib/saml/xml.ts';
import {
  NS,
  type AuthnRequestInfo,
  type LogoutRequestInfo,
  type LogoutResponseInfo,
  type ResponseInfo,
  type SamlMessage,
  type SamlParseError,
} from '../lib/saml/model.ts';
import { CLAIM, LAB, URN, makeAuthnRequest, makeResponse, sign, signedResponse } from './lab/factory.ts';
import { IDP_KEY } from './lab/keys.ts';

const T0 = new Date('2025-03-01T10:00:00Z');

function parsed(xml: string): SamlMessage {
  const m = parseSaml(xml);
  if (isParseError(m)) throw new Error(`expected a message, got ${m.code}: ${m.message}`);
  return m;
}
function response(xml: string): ResponseInfo {
  const m = parsed(xml);
  if (m.kind !== 'Response') throw new Error(`expected a Response, got ${m.kind}`);
  return m;
}
function failure(xml: string): SamlParseError {
  const m = parseSaml(xml);
  if (!isParseError(m)) throw new Error(`expected an error, got a ${m.kind}`);
  return m;
}
function doc(xml: string): XmlDocument {
  const d = parseXml(xml);
  if (!('root' in d)) throw new Error(d.message);
  return d;
}

describe('namespaces are matched by URI, never by prefix', () => {
  const base = { issueInstant: T0, responseId: '_r1', assertionId: '_a1' };

  function expectReadable(r: ResponseInfo) {
    expect(r.kind).toBe('Response');
    expect(r.issuer?.value).toBe(LAB.issuer);
    expect(r.status?.code).toBe(URN.success);
    expect(r.assertions).toHaveLength(1);
    const a = r.assertions[0]!;
    expect(a.issuer?.value).toBe(LAB.issuer);
    expect(a.nameId?.value).toBe(LAB.user);
    expect(a.conditions?.audiences.map((x) => x.value)).toEqual([LAB.spEntityId]);
    expect(a.attributes.length).toBe(9);
    expect(a.authnStatements).toHaveLength(1);
  }

  it('samlp: with a default-namespace Assertion (Entra)', () => {
    const xml = makeResponse({ ...base, style: 'entra' });
    expect(xml).toContain('<Assertion ID="_a1" IssueInstant="2025-03-01T10:00:00Z" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion">');
    const r = response(xml);
    expectReadable(r);
    expect(r.rootNs).toBe(NS.samlp);
    expect(r.missingNamespace).toBe(false);
  });

  it('samlp: / saml2: prefixes', () => {
    const xml = makeResponse({ ...base, style: 'saml2' });
    expect(xml).toContain('<saml2:Assertion');
    const r = response(xml);
    expectReadable(r);
    expect(r.missingNamespace).toBe(false);
  });

  it('saml2p: / saml2: prefixes (Identity Center, Shibboleth, OpenSAML)', () => {
    const xml = makeResponse({ ...base, style: 'saml2' }).replace(/(<\/?|xmlns:)samlp\b/g, '$1saml2p');
    expect(xml).toContain('<saml2p:Response');
    expectReadable(response(xml));
  });

  it('samlp: / saml: prefixes', () => {
    const xml = makeResponse({ ...base, style: 'saml2' }).replace(/(<\/?|xmlns:)saml2\b/g, '$1saml');
    expect(xml).toContain('<saml:Assertion');
    expectReadable(response(xml));
  });

  it('custom prefixes foo: and bar: bound to the SAML URIs', () => {
    const xml = makeResponse({ ...base, style: 'saml2' }).replace(/(<\/?|xmlns:)samlp\b/g, '$1foo').replace(/(<\/?|xmlns:)saml2\b/g, '$1bar');
    expect(xml).toContain('<foo:Response');
    expect(xml).not.toMatch(/samlp|saml2/);
    expect(xml).toContain('xmlns:bar="urn:oasis:names:tc:SAML:2.0:assertion"');
    const r = response(xml);
    expectReadable(r);
    expect(r.rootNs).toBe(NS.samlp);
    expect(r.rootName).toBe('Response');
    expect(r.missingNamespace).toBe(false);
  });

  it('a signed message keeps ds: elements readable whatever their prefix', () => {
    const xml = signedResponse(base).replace(/<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">/, '<dsig:Signature xmlns:dsig="http://www.w3.org/2000/09/xmldsig#">');
    // Rename the children to the dsig: prefix, within the signature only.
    const fixed = xml.replace(/<dsig:Signature[\s\S]*?<\/Signature>/, (s) =>
      s.replace(/<(\/?)(?!dsig:)([A-Za-z]+)/g, '<$1dsig:$2').replace(/<\/dsig:Signature>$/, '</dsig:Signature>'),
    );
    expect(fixed).toContain('<dsig:SignedInfo>');
    const r = response(fixed);
    const sig = r.assertions[0]!.signatures[0]!;
    expect(sig.signatureMethod).toBe(URN.rsaSha256);
    expect(sig.references[0]!.uri).toBe('#_a1');
    expect(sig.certificates).toEqual([IDP_KEY.certBase64]);
  });

  it('a message with no namespaces at all is still read, and says so', () => {
    const xml = makeResponse({ ...base, style: 'none' });
    expect(xml).not.toContain('xmlns');
    const r = response(xml);
    expectReadable(r);
    expect(r.rootNs).toBe('');
    expect(r.missingNamespace).toBe(true);
  });

  it('one element without a namespace is enough for missingNamespace', () => {
    const xml = makeResponse(base).replace(
      '<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">',
      '<Issuer>',
    );
    const r = response(xml);
    expect(r.missingNamespace).toBe(true);
    expect(r.issuer?.value).toBe(LAB.issuer);
  });

  it('does not read an element in another namespace, whatever its prefix', () => {
    const xml = makeResponse(base).replace(
      '<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">',
      '<saml:Issuer xmlns:saml="urn:example:not-saml">',
    ).replace('</Issuer><samlp:Status>', '</saml:Issuer><samlp:Status>');
    const r = response(xml);
    expect(r.issuer).toBeUndefined();
    // The assertion's own Issuer is unaffected.
    expect(r.assertions[0]!.issuer?.value).toBe(LAB.issuer);
  });

  it('an undeclared prefix is malformed XML (undeclared-prefix), never read as SAML', () => {
    const xml = makeResponse({ ...base, style: 'saml2' });
    // An Attribute whose saml2: has no declaration in scope: the Assertion's is moved off it.
    const attrStart = xml.indexOf('<saml2:Attribute ');
    expect(attrStart).toBeGreaterThan(0);
    const undeclared = xml.replace(/ xmlns:saml2="urn:oasis:names:tc:SAML:2\.0:assertion"/g, '').replace(/<saml2:(?!Attribute\b)/g, '<saml2x:').replace(/<\/saml2:(?!Attribute\b)/g, '</saml2x:').replace('<samlp:Response ', '<samlp:Response xmlns:saml2x="urn:oasis:names:tc:SAML:2.0:assertion" ');
    const e = failure(undeclared);
    expect(e.code).toBe('undeclared-prefix');
    expect(e.message).toMatch(/^The XML is not well-formed: undeclared namespace prefix saml2 on element saml2:Attribute \(line \d+, column \d+\), with no xmlns declaration for it in scope\./);
    const x = parseXml(undeclared);
    expect(x).toMatchObject({ ok: false, code: 'undeclared-prefix' });
  });

  it('an undeclared prefix on an attribute is malformed too', () => {
    const e = failure('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r"><AttributeValue xsi:type="xs:string">x</AttributeValue></samlp:Response>');
    expect(e.code).toBe('undeclared-prefix');
    expect(e.message).toContain('undeclared namespace prefix xsi on attribute xsi:type of element AttributeValue (line 1, column 77)');
  });

  it('a prefix declared on the element itself or an ancestor is declared; xml: always is', () => {
    expect(doc('<p:a xmlns:p="urn:p" p:x="1" xml:lang="en"><p:b p:y="2"/></p:a>').root.ns).toBe('urn:p');
    expect(parseXml('<a><p:b/></a>')).toMatchObject({ code: 'undeclared-prefix' });
    expect(parseXml('<a><b xmlns:p="urn:p"/><p:c/></a>')).toMatchObject({ code: 'undeclared-prefix' });
    // A prefix named like an Object.prototype member is no more declared than any other.
    expect(parseXml('<constructor:a/>')).toMatchObject({ code: 'undeclared-prefix' });
    expect(parseXml('<__proto__:a/>')).toMatchObject({ code: 'undeclared-prefix' });
    expect(doc('<__proto__:a xmlns:__proto__="urn:p"/>').root.ns).toBe('urn:p');
  });

  it('an Attribute (or EncryptedAttribute) in a foreign namespace is not a SAML attribute', () => {
    const xml = makeResponse({ ...base, style: 'saml2' });
    const first = /<saml2:Attribute [\s\S]*?<\/saml2:Attribute>/.exec(xml)![0];
    const foreign = first.replace(/saml2:Attribute\b/g, 'x:Attribute').replace('<x:Attribute ', '<x:Attribute xmlns:x="urn:example:not-saml" ');
    const r = response(xml.replace(first, foreign + '<x:EncryptedAttribute xmlns:x="urn:example:not-saml"/>'));
    const a = r.assertions[0]!;
    expect(a.attributes).toHaveLength(8);
    expect(a.encryptedAttributeCount).toBe(0);
    // The same element in the SAML namespace under another prefix is read.
    const renamed = first.replace(/saml2:Attribute\b/g, 'y:Attribute').replace('<y:Attribute ', '<y:Attribute xmlns:y="urn:oasis:names:tc:SAML:2.0:assertion" ');
    expect(response(xml.replace(first, renamed)).assertions[0]!.attributes).toHaveLength(9);
  });

  it('reads SAML attributes only unqualified: x:Name, x:Format or x:ID is another attribute', () => {
    const xml = makeResponse({ ...base, style: 'saml2' });
    const first = /<saml2:Attribute Name="([^"]+)"/.exec(xml)!;
    const r = response(
      xml
        .replace(first[0], `<saml2:Attribute xmlns:x="urn:example:not-saml" x:Name="${first[1]}"`)
        .replace('<samlp:Response ', '<samlp:Response xmlns:x="urn:example:not-saml" x:Destination="https://evil.example/" ')
        .replace(/<saml2:NameID Format="[^"]+"/, '<saml2:NameID x:Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"'),
    );
    expect(r.assertions[0]!.attributes[0]!.name).toBe('');
    expect(r.destination).toBe(LAB.acsUrl);
    expect(r.assertions[0]!.nameId?.format).toBeUndefined();
    const sig = response(signedResponse(base).replace('<Assertion ID="_a1"', '<Assertion xmlns:x="urn:example:not-saml" x:ID="_a1"'));
    expect(sig.assertions[0]!.id).toBeUndefined();
  });

  it('a samlp: prefix bound to the assertion namespace is not a protocol message', () => {
    const xml = makeResponse(base).replace(
      'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"',
      'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:assertion"',
    );
    const e = failure(xml);
    expect(e.code).toBe('not-saml');
    expect(e.message).toContain('{urn:oasis:names:tc:SAML:2.0:assertion}Response');
    expect(e.message).toMatch(/namespace is not urn:oasis:names:tc:SAML:2\.0:protocol/);
  });
});

describe('an Entra response: every field of the model', () => {
  const rid = '_5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
  const aid = '_9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a';
  const xml = sign(
    makeResponse({
      responseId: rid,
      assertionId: aid,
      issueInstant: T0,
      inResponseTo: '_req-42',
      sessionNotOnOrAfter: new Date('2025-03-01T18:00:00Z'),
      accessControl: { Department: 'Engineering', CostCenter: ['0042', '0043'] },
      groups: 3,
    }),
    { target: 'both' },
  );
  const r = response(xml);
  const a = r.assertions[0]!;

  it('reads the Response header', () => {
    expect(r.kind).toBe('Response');
    expect(r.rootName).toBe('Response');
    expect(r.rootPath).toBe('/Response');
    expect(r.id).toBe(rid);
    expect(r.version).toBe('2.0');
    expect(r.issueInstant).toBe('2025-03-01T10:00:00Z');
    expect(r.destination).toBe(LAB.acsUrl);
    expect(r.inResponseTo).toBe('_req-42');
    expect(r.consent).toBeUndefined();
    expect(r.issuer).toEqual({
      value: LAB.issuer,
      path: '/Response/Issuer',
      firstText: LAB.issuer,
      hasComment: false,
      hasProcessingInstruction: false,
      textNodeCount: 1,
      hasChildElements: false,
    });
    expect(r.status).toEqual({ code: URN.success, subCodes: [], hasDetail: false, path: '/Response/Status' });
    expect(r.encryptedAssertions).toEqual([]);
    expect(r.missingNamespace).toBe(false);
  });

  it('indexes every ID', () => {
    expect(r.ids).toEqual({ [rid]: ['/Response'], [aid]: ['/Response/Assertion'] });
  });

  it('reads the Assertion header and subject', () => {
    expect(a.path).toBe('/Response/Assertion');
    expect(a.id).toBe(aid);
    expect(a.version).toBe('2.0');
    expect(a.issueInstant).toBe('2025-03-01T10:00:00Z');
    expect(a.issuer?.value).toBe(LAB.issuer);
    expect(a.issuer?.path).toBe('/Response/Assertion/Issuer');
    expect(a.hasSubject).toBe(true);
    expect(a.encryptedId).toBe(false);
    expect(a.nameId).toEqual({
      value: LAB.user,
      path: '/Response/Assertion/Subject/NameID',
      firstText: LAB.user,
      hasComment: false,
      hasProcessingInstruction: false,
      textNodeCount: 1,
      hasChildElements: false,
      format: URN.email,
    });
    expect(a.subjectConfirmations).toEqual([
      {
        path: '/Response/Assertion/Subject/SubjectConfirmation',
        method: URN.bearer,
        data: {
          path: '/Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData',
          recipient: LAB.acsUrl,
          notOnOrAfter: '2025-03-01T10:05:00Z',
          inResponseTo: '_req-42',
        },
      },
    ]);
  });

  it('reads the Conditions with their audiences', () => {
    expect(a.conditions).toEqual({
      path: '/Response/Assertion/Conditions',
      notBefore: '2025-03-01T10:00:00Z',
      notOnOrAfter: '2025-03-01T11:10:00Z',
      audienceRestrictionCount: 1,
      audiences: [
        {
          value: LAB.spEntityId,
          path: '/Response/Assertion/Conditions/AudienceRestriction/Audience',
          firstText: LAB.spEntityId,
          hasComment: false,
          hasProcessingInstruction: false,
          textNodeCount: 1,
          hasChildElements: false,
        },
      ],
      oneTimeUse: false,
      hasProxyRestriction: false,
    });
  });

  it('reads the AuthnStatement', () => {
    expect(a.authnStatements).toEqual([
      {
        path: '/Response/Assertion/AuthnStatement',
        authnInstant: '2025-03-01T09:59:00Z',
        sessionIndex: aid,
        sessionNotOnOrAfter: '2025-03-01T18:00:00Z',
        authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
      },
    ]);
  });

  it('reads every attribute with all its values, in order', () => {
    expect(a.attributeStatementCount).toBe(1);
    expect(a.encryptedAttributeCount).toBe(0);
    expect(a.attributes.map((x) => [x.name, x.values.map((v) => v.value)])).toEqual([
      [CLAIM.tenantId, [LAB.tenantId]],
      [CLAIM.objectId, ['5c8a3e1f-2b4d-4f6a-8e9c-0a1b2c3d4e5f']],
      [CLAIM.displayName, ['Alex Morgan']],
      [CLAIM.idp, [LAB.issuer]],
      [CLAIM.authMethods, ['http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password']],
      [CLAIM.email, [LAB.user]],
      [CLAIM.givenName, ['Alex']],
      [CLAIM.surname, ['Morgan']],
      [CLAIM.name, [LAB.user]],
      [
        CLAIM.groups,
        [
          '0b7c0000-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
          '0b7c0001-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
          '0b7c0002-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
        ],
      ],
      [`${URN.accessControl}Department`, ['Engineering']],
      [`${URN.accessControl}CostCenter`, ['0042', '0043']],
    ]);
    const groups = a.attributes[9]!;
    expect(groups.path).toBe('/Response/Assertion/AttributeStatement/Attribute[10]');
    expect(groups.values.map((v) => v.path)).toEqual([
      '/Response/Assertion/AttributeStatement/Attribute[10]/AttributeValue[1]',
      '/Response/Assertion/AttributeStatement/Attribute[10]/AttributeValue[2]',
      '/Response/Assertion/AttributeStatement/Attribute[10]/AttributeValue[3]',
    ]);
    expect(a.attributes[0]!.values[0]).toEqual({
      value: LAB.tenantId,
      path: '/Response/Assertion/AttributeStatement/Attribute[1]/AttributeValue',
      firstText: LAB.tenantId,
      hasComment: false,
      hasProcessingInstruction: false,
      textNodeCount: 1,
      hasChildElements: false,
      structured: false,
      nil: false,
    });
  });

  it('keeps "0042" a string', () => {
    const cc = a.attributes.find((x) => x.name.endsWith('CostCenter'))!;
    expect(cc.values[0]!.value).toBe('0042');
    expect(typeof cc.values[0]!.value).toBe('string');
  });

  it('reads both signatures: where they sit, what they reference, how, and with which certificate', () => {
    const expectedSig = (path: string, parentPath: string, parentLocal: string, parentId: string) => ({
      path,
      parentPath,
      parentLocal,
      parentId,
      signatureMethod: URN.rsaSha256,
      c14nMethod: URN.excC14n,
      references: [
        {
          uri: `#${parentId}`,
          digestMethod: URN.sha256,
          digestValue: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
          transforms: [URN.enveloped, URN.excC14n],
        },
      ],
      certificates: [IDP_KEY.certBase64],
      hasSignatureValue: true,
    });
    const resp = expectedSig('/Response/Signature', '/Response', 'Response', rid);
    const asrt = expectedSig('/Response/Assertion/Signature', '/Response/Assertion', 'Assertion', aid);
    expect(r.signatures).toEqual([resp]);
    expect(a.signatures).toEqual([asrt]);
    expect(r.allSignatures).toEqual([resp, asrt]);
  });

  it('reads an assertion-only signature (Entra default) and SHA-1', () => {
    const m = response(signedResponse({ issueInstant: T0, assertionId: '_only' }, { algorithm: 'sha1' }));
    expect(m.signatures).toEqual([]);
    expect(m.allSignatures).toHaveLength(1);
    const s = m.assertions[0]!.signatures[0]!;
    expect(s.parentLocal).toBe('Assertion');
    expect(s.signatureMethod).toBe(URN.rsaSha1);
    expect(s.references[0]!.digestMethod).toBe(URN.sha1);
    expect(s.references[0]!.uri).toBe('#_only');
  });

  it('reads NameID qualifiers and SPProvidedID', () => {
    const m = response(
      makeResponse({ issueInstant: T0 }).replace(
        `<NameID Format="${URN.email}">`,
        `<NameID Format="${URN.persistent}" NameQualifier="${LAB.issuer}" SPNameQualifier="${LAB.spEntityId}" SPProvidedID="sp-7">`,
      ),
    );
    const n = m.assertions[0]!.nameId!;
    expect(n.format).toBe(URN.persistent);
    expect(n.nameQualifier).toBe(LAB.issuer);
    expect(n.spNameQualifier).toBe(LAB.spEntityId);
    expect(n.spProvidedId).toBe('sp-7');
  });

  it('reads nested status codes and the StatusMessage of a failed response', () => {
    const m = response(
      makeResponse({
        issueInstant: T0,
        status: {
          code: URN.requester,
          subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
          subSubCode: 'urn:example:deeper',
          message: 'AADSTS50105: Your administrator has configured the application to block users unless they are specifically granted access.',
        },
      }),
    );
    expect(m.status).toEqual({
      code: URN.requester,
      subCodes: ['urn:oasis:names:tc:SAML:2.0:status:RequestDenied', 'urn:example:deeper'],
      message:
        'AADSTS50105: Your administrator has configured the application to block users unless they are specifically granted access.',
      hasDetail: false,
      path: '/Response/Status',
    });
    expect(m.assertions).toEqual([]);
  });

  it('sees StatusDetail', () => {
    const m = response(
      makeResponse({ issueInstant: T0, status: { code: URN.responder } }).replace(
        '</samlp:Status>',
        '<samlp:StatusDetail><Cause xmlns="urn:example">x</Cause></samlp:StatusDetail></samlp:Status>',
      ),
    );
    expect(m.status?.hasDetail).toBe(true);
  });

  it('reads several audiences and restrictions, OneTimeUse and ProxyRestriction', () => {
    const m = response(
      makeResponse({ issueInstant: T0, audience: [LAB.spEntityId, 'urn:amazon:webservices'] }).replace(
        '</AudienceRestriction>',
        '</AudienceRestriction><AudienceRestriction><Audience>https://other.example/</Audience></AudienceRestriction><OneTimeUse/><ProxyRestriction Count="0"/>',
      ),
    );
    const c = m.assertions[0]!.conditions!;
    expect(c.audienceRestrictionCount).toBe(2);
    expect(c.audiences.map((x) => [x.value, x.path])).toEqual([
      [LAB.spEntityId, '/Response/Assertion/Conditions/AudienceRestriction[1]/Audience[1]'],
      ['urn:amazon:webservices', '/Response/Assertion/Conditions/AudienceRestriction[1]/Audience[2]'],
      ['https://other.example/', '/Response/Assertion/Conditions/AudienceRestriction[2]/Audience'],
    ]);
    expect(c.oneTimeUse).toBe(true);
    expect(c.hasProxyRestriction).toBe(true);
  });

  it('reads attribute NameFormat, FriendlyName, xsi:type and xsi:nil, structured values', () => {
    const m = response(
      makeResponse({ issueInstant: T0, defaultClaims: false }).replace(
        '</Conditions>',
        '</Conditions><AttributeStatement xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
          '<Attribute Name="urn:oid:0.9.2342.19200300.100.1.3" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" FriendlyName="mail">' +
          '<AttributeValue i:type="xs:string">a@b.c</AttributeValue><AttributeValue i:nil="true"/></Attribute>' +
          '<Attribute Name="structured"><AttributeValue><x:Thing xmlns:x="urn:x">v</x:Thing></AttributeValue></Attribute>' +
          '<EncryptedAttribute><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></EncryptedAttribute>' +
          '</AttributeStatement>',
      ),
    );
    const as = m.assertions[0]!;
    expect(as.attributeStatementCount).toBe(1);
    expect(as.encryptedAttributeCount).toBe(1);
    const [mail, structured] = as.attributes;
    expect(mail!.nameFormat).toBe('urn:oasis:names:tc:SAML:2.0:attrname-format:uri');
    expect(mail!.friendlyName).toBe('mail');
    expect(mail!.values[0]!.type).toBe('xs:string');
    expect(mail!.values[0]!.nil).toBe(false);
    expect(mail!.values[1]!.nil).toBe(true);
    expect(mail!.values[1]!.value).toBe('');
    expect(structured!.values[0]!.structured).toBe(true);
    expect(structured!.values[0]!.hasChildElements).toBe(true);
  });

  it('reads several assertions with indexed paths', () => {
    const m = response(makeResponse({ issueInstant: T0, extraAssertions: 1 }));
    expect(m.assertions.map((x) => x.path)).toEqual(['/Response/Assertion[1]', '/Response/Assertion[2]']);
    expect(m.assertions[1]!.nameId?.path).toBe('/Response/Assertion[2]/Subject/NameID');
    expect(Object.values(m.ids).flat()).toEqual(['/Response', '/Response/Assertion[1]', '/Response/Assertion[2]']);
  });

  it('indexes a duplicated ID under both paths', () => {
    const m = response(makeResponse({ issueInstant: T0, responseId: '_dup', assertionId: '_dup' }));
    expect(m.ids['_dup']).toEqual(['/Response', '/Response/Assertion']);
  });

  it('sees an EncryptedAssertion', () => {
    const m = response(makeResponse({ issueInstant: T0, encrypted: true }));
    expect(m.assertions).toEqual([]);
    expect(m.encryptedAssertions).toEqual([{ path: '/Response/EncryptedAssertion' }]);
  });

  it('sees an EncryptedID instead of a NameID', () => {
    const m = response(
      makeResponse({ issueInstant: T0, nameId: null }).replace(
        '<Subject>',
        '<Subject><EncryptedID><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></EncryptedID>',
      ),
    );
    expect(m.assertions[0]!.nameId).toBeUndefined();
    expect(m.assertions[0]!.encryptedId).toBe(true);
  });
});

describe('AuthnRequest', () => {
  it('reads what Identity Center sends', () => {
    const m = parsed(makeAuthnRequest({ id: '_req-1', issueInstant: T0, forceAuthn: true }));
    expect(m.kind).toBe('AuthnRequest');
    const q = m as AuthnRequestInfo;
    expect(q.id).toBe('_req-1');
    expect(q.version).toBe('2.0');
    expect(q.issueInstant).toBe('2025-03-01T10:00:00Z');
    expect(q.destination).toBe(LAB.ssoUrl);
    expect(q.issuer?.value).toBe(LAB.spEntityId);
    expect(q.issuer?.path).toBe('/AuthnRequest/Issuer');
    expect(q.acsUrl).toBe(LAB.acsUrl);
    expect(q.protocolBinding).toBe('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(q.forceAuthn).toBe('true');
    expect(q.isPassive).toBeUndefined();
    expect(q.nameIdPolicy).toEqual({ path: '/AuthnRequest/NameIDPolicy', format: URN.email });
    expect(q.requestedAuthnContext).toBeUndefined();
    expect(q.hasSubject).toBe(false);
    expect(q.hasScoping).toBe(false);
    expect(q.signatures).toEqual([]);
  });

  it('reads every field of a fuller request', () => {
    const xml =
      '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ' +
      `ID="_full" Version="2.0" IssueInstant="2025-03-01T10:00:00Z" Destination="${LAB.ssoUrl}" Consent="urn:oasis:names:tc:SAML:2.0:consent:unspecified" ` +
      'ForceAuthn="false" IsPassive="true" ProviderName="AWS IAM Identity Center" AssertionConsumerServiceIndex="0" ' +
      'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">' +
      `<saml:Issuer>${LAB.spEntityId}</saml:Issuer>` +
      `<saml:Subject><saml:NameID>${LAB.user}</saml:NameID></saml:Subject>` +
      `<samlp:NameIDPolicy Format="${URN.persistent}" AllowCreate="true" SPNameQualifier="${LAB.spEntityId}"/>` +
      '<samlp:RequestedAuthnContext Comparison="minimum">' +
      '<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>' +
      '<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:X509</saml:AuthnContextClassRef>' +
      '</samlp:RequestedAuthnContext><samlp:Scoping ProxyCount="1"/></samlp:AuthnRequest>';
    const q = parsed(xml) as AuthnRequestInfo;
    expect(q).toMatchObject({
      kind: 'AuthnRequest',
      id: '_full',
      consent: 'urn:oasis:names:tc:SAML:2.0:consent:unspecified',
      forceAuthn: 'false',
      isPassive: 'true',
      providerName: 'AWS IAM Identity Center',
      acsIndex: '0',
      protocolBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
      hasSubject: true,
      hasScoping: true,
      nameIdPolicy: { path: '/AuthnRequest/NameIDPolicy', format: URN.persistent, allowCreate: 'true', spNameQualifier: LAB.spEntityId },
      requestedAuthnContext: {
        path: '/AuthnRequest/RequestedAuthnContext',
        comparison: 'minimum',
        classRefs: ['urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport', 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509'],
      },
    });
    expect(q.acsUrl).toBeUndefined();
  });
});

describe('logout messages', () => {
  it('reads a LogoutRequest', () => {
    const xml =
      '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ' +
      `ID="_lo1" Version="2.0" IssueInstant="2025-03-01T12:00:00Z" Destination="${LAB.ssoUrl}" NotOnOrAfter="2025-03-01T12:05:00Z" Reason="urn:oasis:names:tc:SAML:2.0:logout:user">` +
      `<saml:Issuer>${LAB.spEntityId}</saml:Issuer>` +
      `<saml:NameID Format="${URN.email}">${LAB.user}</saml:NameID>` +
      '<samlp:SessionIndex>_s1</samlp:SessionIndex><samlp:SessionIndex> _s2 </samlp:SessionIndex></samlp:LogoutRequest>';
    const m = parsed(xml) as LogoutRequestInfo;
    expect(m).toMatchObject({
      kind: 'LogoutRequest',
      id: '_lo1',
      destination: LAB.ssoUrl,
      notOnOrAfter: '2025-03-01T12:05:00Z',
      reason: 'urn:oasis:names:tc:SAML:2.0:logout:user',
      sessionIndexes: ['_s1', '_s2'],
      nameId: { value: LAB.user, format: URN.email, path: '/LogoutRequest/NameID' },
    });
    expect(m.issuer?.value).toBe(LAB.spEntityId);
  });

  it('reads a LogoutResponse', () => {
    const xml =
      '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ' +
      `ID="_lr1" Version="2.0" IssueInstant="2025-03-01T12:00:01Z" Destination="${LAB.acsUrl}" InResponseTo="_lo1">` +
      `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${LAB.issuer}</Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="${URN.responder}"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:PartialLogout"/></samlp:StatusCode></samlp:Status></samlp:LogoutResponse>`;
    const m = parsed(xml) as LogoutResponseInfo;
    expect(m).toMatchObject({
      kind: 'LogoutResponse',
      id: '_lr1',
      inResponseTo: '_lo1',
      issuer: { value: LAB.issuer },
      status: { code: URN.responder, subCodes: ['urn:oasis:names:tc:SAML:2.0:status:PartialLogout'], hasDetail: false },
    });
  });
});

describe('text that a naive reader gets wrong', () => {
  const withNameId = (raw: string) => response(makeResponse({ issueInstant: T0, nameIdRawContent: raw })).assertions[0]!.nameId!;

  it('a comment inside NameID: visible, and firstText differs from value', () => {
    const n = withNameId('alex.morgan@contoso.com<!---->.evil.example');
    expect(n.value).toBe('alex.morgan@contoso.com.evil.example');
    expect(n.firstText).toBe('alex.morgan@contoso.com');
    expect(n.hasComment).toBe(true);
    expect(n.hasProcessingInstruction).toBe(false);
    expect(n.textNodeCount).toBe(2);
  });

  it('a processing instruction inside NameID', () => {
    const n = withNameId('alex.morgan@contoso.com<?x y="1"?>.evil.example');
    expect(n.value).toBe('alex.morgan@contoso.com.evil.example');
    expect(n.firstText).toBe('alex.morgan@contoso.com');
    expect(n.hasProcessingInstruction).toBe(true);
    expect(n.hasComment).toBe(false);
    expect(n.textNodeCount).toBe(2);
  });

  it('a comment in an Audience, an Issuer and an AttributeValue', () => {
    const xml = makeResponse({ issueInstant: T0 })
      .replace(`<Audience>${LAB.spEntityId}</Audience>`, `<Audience>${LAB.spEntityId}<!-- x --></Audience>`)
      .replace(`<Issuer>${LAB.issuer}</Issuer>`, `<Issuer><!-- x -->${LAB.issuer}</Issuer>`)
      .replace('<AttributeValue>Alex</AttributeValue>', '<AttributeValue>Al<!---->ex</AttributeValue>');
    const a = response(xml).assertions[0]!;
    expect(a.conditions!.audiences[0]!.hasComment).toBe(true);
    expect(a.conditions!.audiences[0]!.value).toBe(LAB.spEntityId);
    expect(a.issuer!.hasComment).toBe(true);
    expect(a.issuer!.value).toBe(LAB.issuer);
    expect(a.issuer!.firstText).toBe(LAB.issuer);
    const given = a.attributes.find((x) => x.name === CLAIM.givenName)!.values[0]!;
    expect([given.value, given.firstText, given.hasComment]).toEqual(['Alex', 'Al', true]);
  });

  it('CDATA reads as text, adjacent text nodes count once', () => {
    const n = withNameId('alex<![CDATA[.morgan]]>@contoso.com');
    expect(n.value).toBe('alex.morgan@contoso.com');
    expect(n.textNodeCount).toBe(1);
    expect(n.hasComment).toBe(false);
  });

  it('decodes numeric character references and the five XML entities', () => {
    expect(withNameId('&#x41;lex&#46;morgan&#64;contoso.com').value).toBe('Alex.morgan@contoso.com');
    expect(withNameId('a&amp;b&lt;c&gt;d&quot;e&apos;f').value).toBe('a&b<c>d"e\'f');
    // No double decoding.
    expect(withNameId('&amp;lt;').value).toBe('&lt;');
    expect(withNameId('&#38;lt;').value).toBe('&lt;');
  });

  it('does not expand named HTML entities: they are undeclared, which XML makes malformed', () => {
    const nbsp = makeResponse({ issueInstant: T0, nameIdRawContent: 'alex&nbsp;morgan' });
    const e = failure(nbsp);
    expect(e.code).toBe('malformed-xml');
    expect(e.message).toMatch(/the entity '&nbsp;' is not declared: XML knows only &amp; &lt; &gt; &quot; &apos;/);
    expect(failure(makeResponse({ issueInstant: T0, nameIdRawContent: '&eacute;' })).message).toMatch(/'&eacute;' is not declared/);
    // Object.prototype's names are not entities either.
    expect(parseXml('<a>&constructor;</a>')).toMatchObject({ code: 'malformed-xml' });
    expect(parseXml('<a b="&toString;"/>')).toMatchObject({ code: 'malformed-xml' });
  });

  it('decodes references in attribute values too', () => {
    const m = response(makeResponse({ issueInstant: T0 }).replace(`Destination="${LAB.acsUrl}"`, 'Destination="https://x.example/&#x41;?a=1&amp;b=2"'));
    expect(m.destination).toBe('https://x.example/A?a=1&b=2');
  });

  it('keeps "0042" and "true" as strings, and leading zeros', () => {
    const n = withNameId('0042');
    expect(n.value).toBe('0042');
    const m = response(makeResponse({ issueInstant: T0, attributes: [{ name: 'n', values: ['0042', '1e3', 'true', '-0'] }] }));
    expect(m.assertions[0]!.attributes.find((x) => x.name === 'n')!.values.map((v) => v.value)).toEqual(['0042', '1e3', 'true', '-0']);
  });

  it('trims value and firstText, but the raw text keeps the whitespace', () => {
    const n = withNameId('  alex.morgan@contoso.com \n');
    expect(n.value).toBe('alex.morgan@contoso.com');
    const d = doc(makeResponse({ issueInstant: T0, nameIdRawContent: '  alex.morgan@contoso.com \n' }));
    const nameId = findPath(d.root, '/Response/Assertion/Subject/NameID')!;
    expect(textInfo(nameId).value).toBe('alex.morgan@contoso.com');
    expect(nameId.children).toEqual([{ kind: 'text', value: '  alex.morgan@contoso.com \n' }]);
  });

  it('a child element inside NameID is seen', () => {
    const n = withNameId('alex<b>x</b>');
    expect(n.hasChildElements).toBe(true);
    expect(n.value).toBe('alex');
  });
});

function findPath(el: XElement, path: string): XElement | undefined {
  if (el.path === path) return el;
  for (const c of el.children) {
    if (c.kind !== 'element') continue;
    const f = findPath(c, path);
    if (f) return f;
  }
  return undefined;
}

describe('errors', () => {
  it('malformed XML → malformed-xml with line and column', () => {
    const xml = '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x">\n  <Issuer>x</Issuer>\n  <Status>\n</samlp:Response>';
    const e = parseXml(xml);
    expect('root' in e).toBe(false);
    if ('root' in e) return;
    expect(e.code).toBe('malformed-xml');
    expect(e.line).toBe(4);
    expect(e.column).toBeGreaterThan(0);
    expect(e.message).toMatch(/not well-formed: .*Status.*\(line 4, column \d+\)\. Capture the message again/);
    const p = failure(xml);
    expect(p).toEqual({ ok: false, code: 'malformed-xml', message: e.message });
  });

  it('a truncated message → malformed-xml', () => {
    const xml = makeResponse({ issueInstant: T0 });
    const e = failure(xml.slice(0, Math.floor(xml.length / 2)));
    expect(e.code).toBe('malformed-xml');
  });

  it('a repeated attribute → malformed-xml', () => {
    expect(failure('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="a" ID="b"/>').message).toMatch(/repeated/);
  });

  it('two root elements → malformed-xml (readers disagree on which one counts)', () => {
    const one = makeResponse({ issueInstant: T0 });
    const e = failure(one + one);
    expect(e.code).toBe('malformed-xml');
    expect(e.message).toMatch(/more than one root element/);
  });

  it('empty text → malformed-xml with a message that has no "undefined" in it', () => {
    const e = failure('');
    expect(e.code).toBe('malformed-xml');
    expect(e.message).not.toMatch(/undefined/);
  });

  it('a DOCTYPE reaching the parser directly is refused too', () => {
    const e = failure('<!DOCTYPE r [<!ENTITY who "evil@attacker.example">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&who;</samlp:Response>');
    expect(e.code).toBe('malformed-xml');
    expect(e.message).toMatch(/DOCTYPE/);
    expect(e.message).not.toContain('evil@attacker.example');
  });

  it('too deep a nesting → malformed-xml that says so', () => {
    const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">${'<a>'.repeat(500)}${'</a>'.repeat(500)}</samlp:Response>`;
    const e = failure(xml);
    expect(e.code).toBe('malformed-xml');
    expect(e.message).toMatch(/nested more than 100 elements deep/);
  });

  const notSaml: [string, string, RegExp][] = [
    [
      'a bare Assertion',
      `<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0"><Issuer>${LAB.issuer}</Issuer></Assertion>`,
      /\{urn:oasis:names:tc:SAML:2\.0:assertion\}Assertion\. It is a bare Assertion: paste the whole Response/,
    ],
    [
      'Entra federation metadata',
      `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${LAB.issuer}"><IDPSSODescriptor/></EntityDescriptor>`,
      /EntityDescriptor\. It is SAML metadata, not a message/,
    ],
    ['an HTML page', '<html><body><form><input name="SAMLResponse" value="x"/></form></body></html>', /root is html\. It is a web page/],
    ['XHTML', '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', /It is a web page/],
    [
      'SAML 1.1',
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol" ResponseID="_x"/>',
      /It is SAML 1\.x/,
    ],
    [
      'a WS-Federation token',
      '<t:RequestSecurityTokenResponse xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust"/>',
      /WS-Federation/,
    ],
    ['anything else', '<config><a/></config>', /root is config\. Give samlscope the SAMLRequest or SAMLResponse/],
  ];
  for (const [name, xml, says] of notSaml) {
    it(`${name} → not-saml with a helpful sentence`, () => {
      const e = failure(xml);
      expect(e.code).toBe('not-saml');
      expect(e.message).toMatch(/^The XML is not a SAML protocol message this tool reads/);
      expect(e.message).toMatch(says);
    });
  }
});

describe('the XML tree', () => {
  it('gives repeated siblings an [n] in their path, and single ones none', () => {
    const d = doc(makeResponse({ issueInstant: T0, groups: 2 }));
    const stmt = findPath(d.root, '/Response/Assertion/AttributeStatement')!;
    const paths = stmt.children.filter((c): c is XElement => c.kind === 'element').map((c) => c.path);
    expect(paths[0]).toBe('/Response/Assertion/AttributeStatement/Attribute[1]');
    expect(paths.at(-1)).toBe('/Response/Assertion/AttributeStatement/Attribute[10]');
    expect(findPath(d.root, '/Response/Assertion/AttributeStatement/Attribute[10]/AttributeValue[2]')).toMatchObject({ local: 'AttributeValue', path: '/Response/Assertion/AttributeStatement/Attribute[10]/AttributeValue[2]' });
    expect(findPath(d.root, '/Response/Assertion/Subject/NameID')).toMatchObject({ local: 'NameID', path: '/Response/Assertion/Subject/NameID' });
  });

  it('counts siblings by local name across prefixes', () => {
    const d = doc('<r xmlns:a="urn:a" xmlns:b="urn:b"><a:x/><b:x/><y/></r>');
    expect(d.root.children.map((c) => (c.kind === 'element' ? c.path : ''))).toEqual(['/r/x[1]', '/r/x[2]', '/r/y']);
    expect(d.root.children.map((c) => (c.kind === 'element' ? c.ns : ''))).toEqual(['urn:a', 'urn:b', '']);
  });

  it('keeps comments and processing instructions before the root in the prolog', () => {
    const d = doc('<?xml version="1.0"?><!-- made by x --><?xml-stylesheet href="a.xsl"?><r/>');
    expect(d.prolog).toEqual([
      { kind: 'comment', value: ' made by x ' },
      { kind: 'pi', target: 'xml-stylesheet', value: 'href="a.xsl"' },
    ]);
  });
});

describe('the XML reader is strict where XML is', () => {
  const bad: [string, string, RegExp, number, number][] = [
    ['text after the root', '<a/>x', /Text is not allowed after the root element/, 1, 5],
    ['text before the root', 'x<a/>', /must start with '<'/, 1, 1],
    ["']]>' in text", '<a>x]]>y</a>', /']]>' is not allowed in text/, 1, 5],
    ["'--' in a comment", '<a><!-- a -- b --></a>', /'--' is not allowed inside a comment/, 1, 4],
    ["'<' in an attribute value", '<a b="<"/>', /'<' is not allowed in the value of attribute 'b'/, 1, 7],
    ['an unquoted attribute', '<a b=1/>', /must be quoted/, 1, 6],
    ['an attribute without value', '<a b/>', /Attribute 'b' is without value/, 1, 4],
    ['attributes run together', '<a b="1"c="2"/>', /must be separated by spaces/, 1, 9],
    ['a bare ampersand', '<a>AT&T</a>', /char '&' is not expected/, 1, 6],
    ['a malformed character reference', '<a>&#xZZ;</a>', /character reference '&#xZZ;' is malformed/, 1, 4],
    ['a reference to a character XML forbids', '<a>&#0;</a>', /not a character XML allows/, 1, 4],
    ['a control character', '<a>x\u001by</a>', /character U\+001B, which XML does not allow/, 1, 5],
    ['an XML declaration that is not first', '<a><?xml version="1.0"?></a>', /XML declaration allowed only at the start/, 1, 4],
    ['a malformed XML declaration', '<?xml version=1.0?><a/>', /XML declaration is malformed/, 1, 1],
    ['U+2028 as a space in the XML declaration', '<?xml version="1.0"\u2028encoding="UTF-8"?><a/>', /XML declaration is malformed/, 1, 1],
    ['a no-break space in the XML declaration', '<?xml\u00a0version="1.0"?><a/>', /Processing instruction target 'xml' is followed by U\+00A0/, 1, 6],
    ['an invalid tag name', '<a><1b/></a>', /Tag '1b' is an invalid name/, 1, 5],
    ['an unclosed tag, reported where it opens', '<a>\n  <b>\n</a>', /Expected closing tag 'b' \(opened in line 2, col 3\) instead of closing tag 'a'/, 3, 1],
    ['an unclosed root', '<a><b/>', /Unclosed tag 'a'/, 1, 1],
    ['an unclosed comment', '<a><!-- x</a>', /Unclosed comment/, 1, 4],
    ['an unclosed CDATA section', '<a><![CDATA[x</a>', /Unclosed CDATA section/, 1, 4],
    // XML 1.0 (Fifth Edition) names: NameStartChar / NameChar.
    ['U+2028 in a tag name', '<a\u2028b/>', /Tag 'a' is followed by U\+2028, which XML does not allow in a name/, 1, 3],
    ['U+2028 starting a tag name', '<a><\u2028/></a>', /Tag name starts with U\+2028/, 1, 5],
    ['a non-character (U+FDD0) in an attribute name', '<a b\uFDD0="1"/>', /Attribute 'b' is followed by U\+FDD0/, 1, 5],
    ['a lone high surrogate in a tag name', '<a\uD800/>', /character U\+D800, which XML does not allow/, 1, 3],
    ['a lone low surrogate in text', '<a>x\uDC00</a>', /character U\+DC00, which XML does not allow/, 1, 5],
    ['a supplementary character beyond U+EFFFF in a name', '<a\uDB80\uDC00/>', /Tag 'a' is followed by U\+F0000/, 1, 3],
    ['a combining mark starting a name', '<\u0301a/>', /Tag name starts with U\+0301/, 1, 2],
    ['U+00D7 (×) in a name', '<a\u00d7/>', /followed by U\+00D7/, 1, 3],
    // Namespaces in XML 1.0.
    ['a name with two colons', '<a:b:c xmlns:a="urn:a"/>', /Tag name 'a:b:c' is not a valid qualified name/, 1, 2],
    ['a name ending with a colon', '<a: xmlns:a="urn:a"/>', /Tag name 'a:' is not a valid qualified name/, 1, 2],
    ['an attribute name starting with a colon', '<a :b="1"/>', /Attribute name ':b' is not a valid qualified name/, 1, 4],
    ['a local part starting with a digit', '<p:1a xmlns:p="urn:p"/>', /Tag name 'p:1a' is not a valid qualified name/, 1, 2],
    ['a local part starting with a combining mark', '<a xmlns:p="urn:p" p:\u0301b="1"/>', /Attribute name 'p:\u0301b' is not a valid qualified name/, 1, 20],
    ['a PI target with a colon', '<a><?p:q x?></a>', /Processing instruction target 'p:q' must not contain ':'/, 1, 6],
    ['a prefix undeclared with xmlns:p=""', '<a xmlns:p=""/>', /xmlns:p="" undeclares a prefix/, 1, 4],
    ['the xml prefix bound elsewhere', '<a xmlns:xml="urn:x"/>', /The prefix xml may be bound only to/, 1, 4],
    ['the xmlns prefix declared', '<a xmlns:xmlns="urn:x"/>', /The prefix xmlns must not be declared/, 1, 4],
    ['the XML namespace bound to another prefix', '<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>', /belongs to the prefix xml alone/, 1, 4],
    ['the xmlns namespace as the default', '<a xmlns="http://www.w3.org/2000/xmlns/"/>', /which no prefix may be bound to/, 1, 4],
    ['an element with the xmlns prefix', '<xmlns:a/>', /must not use the prefix xmlns/, 1, 2],
    ['two attributes with one namespace and local name', '<a xmlns:p="urn:x" xmlns:q="urn:x" p:b="1" q:b="2"/>', /two attributes named \{urn:x\}b/, 1, 2],
  ];
  for (const [name, xml, says, line, column] of bad) {
    it(`${name} → malformed-xml at line ${line}, column ${column}`, () => {
      const e = parseXml(xml);
      if ('root' in e) throw new Error('expected an error');
      expect(e.code).toBe('malformed-xml');
      expect(e.message).toMatch(says);
      expect([e.line, e.column]).toEqual([line, column]);
      expect(e.message).toContain(`(line ${line}, column ${column})`);
    });
  }

  it('normalises line breaks in text and literal whitespace in attribute values, not references', () => {
    const d = doc('<a b="x\r\n\ty&#xA;z">1\r\n2\r3</a>');
    expect(d.root.attrs['b']).toBe('x  y\nz');
    expect(d.root.children).toEqual([{ kind: 'text', value: '1\n2\n3' }]);
  });

  it('keeps a processing instruction\'s data', () => {
    const d = doc('<a>x<?target some free text?>y</a>');
    expect(d.root.children[1]).toEqual({ kind: 'pi', target: 'target', value: 'some free text' });
  });

  it('normalises line ends in a processing instruction too (XML 2.11 applies to all input)', () => {
    expect(doc('<a><?t a\r\nb\rc?></a>').root.children[0]).toEqual({ kind: 'pi', target: 't', value: 'a\nb\nc' });
  });

  it('reads attributes named like Object.prototype members as plain attributes', () => {
    const d = doc('<a constructor="c" __proto__="p" toString="t"/>');
    expect(attr(d.root, 'constructor')).toBe('c');
    expect(attr(d.root, '__proto__')).toBe('p');
    expect(attr(d.root, 'toString')).toBe('t');
    expect(attr(d.root, 'valueOf')).toBeUndefined();
    expect(Object.keys(d.root.attrs)).toEqual(['constructor', '__proto__', 'toString']);
    expect(parseXml('<a hasOwnProperty="1" hasOwnProperty="2"/>')).toMatchObject({ code: 'malformed-xml' });
  });

  it('resolves a prefix declared on the element itself and undeclares the default namespace', () => {
    const d = doc('<p:a xmlns:p="urn:p" xmlns="urn:d"><b/><c xmlns=""/></p:a>');
    expect(d.root.ns).toBe('urn:p');
    const [b, c] = d.root.children as XElement[];
    expect(b!.ns).toBe('urn:d');
    expect(c!.ns).toBe('');
  });
});

/** A DOM tree from @xmldom/xmldom, reduced to what our tree holds, for comparison. */
function fromDom(n: DomNode): unknown {
  const el = n as unknown as Element;
  if (n.nodeType === 1) {
    const attrs: Record<string, string> = {};
    for (let i = 0; i < el.attributes.length; i++) attrs[el.attributes[i]!.name] = el.attributes[i]!.value;
    const children: unknown[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) children.push(fromDom(c));
    return { name: el.tagName, ns: el.namespaceURI ?? '', attrs, children };
  }
  if (n.nodeType === 3 || n.nodeType === 4) return { kind: 'text', value: n.nodeValue };
  if (n.nodeType === 8) return { kind: 'comment', value: n.nodeValue };
  if (n.nodeType === 7) return { kind: 'pi', target: (n as unknown as ProcessingInstruction).target, value: n.nodeValue };
  return { other: n.nodeType };
}
function fromOurs(n: XNode): unknown {
  if (n.kind === 'element') return { name: n.name, ns: n.ns, attrs: { ...n.attrs }, children: n.children.map(fromOurs) };
  return n;
}

describe('agrees with an independent XML parser (@xmldom/xmldom)', () => {
  const messages: [string, string][] = [
    ['a signed Entra response', signedResponse({ issueInstant: T0, groups: 3, accessControl: { Dept: 'R&D <ops>' } }, { target: 'both' })],
    ['saml2 prefixes', makeResponse({ issueInstant: T0, style: 'saml2' })],
    ['no namespaces', makeResponse({ issueInstant: T0, style: 'none' })],
    ['an AuthnRequest', makeAuthnRequest({ issueInstant: T0 })],
    ['comments, PIs, CDATA and references in a NameID', makeResponse({ issueInstant: T0, nameIdRawContent: ' a<!-- c -->b<?p q?>c<![CDATA[<d>]]>&#x41;&amp;&lt; ' })],
    ['an EncryptedAssertion', makeResponse({ issueInstant: T0, encrypted: true })],
    ['line breaks in text and attributes', '<r a="1\r\n2\t3" xmlns:x="urn:x"><x:b>l1\r\nl2\rl3</x:b>\n</r>'],
  ];
  for (const [name, xml] of messages) {
    it(name, () => {
      const ours = doc(xml).root;
      const dom = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
      expect(fromOurs(ours)).toEqual(fromDom(dom as unknown as DomNode));
    });
  }
});

describe('prettyXml', () => {
  it('keeps a comment inside NameID visible, where it is', () => {
    const xml = makeResponse({ issueInstant: T0, nameIdRawContent: 'alex.morgan@contoso.com<!---->.evil.example' });
    const out = prettyXml(xml);
    expect(out).toContain(`<NameID Format="${URN.email}">alex.morgan@contoso.com<!---->.evil.example</NameID>`);
  });

  it('keeps a processing instruction visible', () => {
    const out = prettyXml(makeResponse({ issueInstant: T0, nameIdRawContent: 'a<?x y="1"?>b' }));
    expect(out).toContain('<NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">a<?x y="1"?>b</NameID>');
  });

  it('escapes text and attribute values, so nothing renders as markup', () => {
    const out = prettyXml('<r a="&quot;&gt;&lt;script&gt;"><b>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</b></r>');
    expect(out).toBe('<r a="&quot;&gt;&lt;script&gt;">\n  <b>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</b>\n</r>');
    expect(out).not.toMatch(/<script>/);
  });

  it('indents nested elements and self-closes empty ones', () => {
    expect(prettyXml('<a><b><c/></b><d>x</d></a>')).toBe('<a>\n  <b>\n    <c/>\n  </b>\n  <d>x</d>\n</a>');
  });

  it('shows a NameID of whitespace as it is, not as an empty element', () => {
    expect(prettyXml('<NameID> </NameID>')).toBe('<NameID> </NameID>');
  });

  it('makes a carriage return visible', () => {
    expect(prettyXml('<a>x&#xD;</a>')).toBe('<a>x&#xD;</a>');
  });

  it('parses its own output back to the same model', () => {
    const xml = signedResponse({ issueInstant: T0, groups: 3, accessControl: { Dept: 'R&D <ops>' } }, { target: 'both' });
    const a = response(xml);
    const b = response(prettyXml(xml));
    const strip = (m: ResponseInfo) => ({
      ...m,
      assertions: m.assertions.map((x) => ({ ...x, attributes: x.attributes.map((t) => ({ name: t.name, values: t.values.map((v) => v.value) })) })),
    });
    expect(strip(b)).toEqual(strip(a));
  });

  it('returns text that does not parse unchanged', () => {
    expect(prettyXml('<a><b></a>')).toBe('<a><b></a>');
  });
});
