// The checks' shared helpers (lib/checks/util.ts), value by value: the words they produce end up
// in the findings' messages and evidence, so each branch is pinned here.
import { describe, expect, it } from 'vitest';
import {
  describeSurroundingWhitespace,
  describeUriDifference,
  editDistance,
  formatDuration,
  guestUpnToAddress,
  isAddrSpec,
  isGuestUpn,
  isUsableSignature,
  isWeakSignatureAlgorithm,
  iso,
  parseAccessControlName,
  parseSamlTime,
  rawTextAt,
  readSamlTime,
  short,
  signatureGap,
} from '../../lib/checks/util.ts';

const NS = 'https://aws.amazon.com/SAML/Attributes';
const ACS = 'https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/3b5f8a2e-7c1d-4e9f-a0b6-5d4c3b2a1f0e';

describe('checks/util: times', () => {
  it('reads xs:dateTime as UTC, with or without fractions and offsets; nothing else', () => {
    expect(parseSamlTime('2026-03-02T10:00:00Z')?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(parseSamlTime(' 2026-03-02T10:00:00.123Z ')?.toISOString()).toBe('2026-03-02T10:00:00.123Z');
    // No zone: read as UTC, not as this computer's local time.
    expect(parseSamlTime('2026-03-02T10:00:00')?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(parseSamlTime('2026-03-02T10:00:00+02:00')?.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    expect(parseSamlTime('2026-03-02T10:00:00-01:30')?.toISOString()).toBe('2026-03-02T11:30:00.000Z');
    for (const bad of [undefined, '', '2026-03-02', '2026-03-02 10:00:00Z', 'x2026-03-02T10:00:00Z', '2026-03-02T10:00:00Zx', '2026-13-02T10:00:00Z', '2026-03-02T10:00Z'])
      expect(parseSamlTime(bad), String(bad)).toBeNull();
  });

  it('notes a time-zone offset other than UTC', () => {
    expect(readSamlTime('2026-03-02T10:00:00+02:00')).toEqual({ date: new Date('2026-03-02T08:00:00Z'), nonUtcOffset: '+02:00' });
    expect(readSamlTime('2026-03-02T10:00:00+00:00')).toEqual({ date: new Date('2026-03-02T10:00:00Z') });
    expect(readSamlTime('2026-03-02T10:00:00-00:00')).toEqual({ date: new Date('2026-03-02T10:00:00Z') });
    expect(readSamlTime('2026-03-02T10:00:00Z')).toEqual({ date: new Date('2026-03-02T10:00:00Z') });
    // An offset on text that is no time: nothing to note.
    expect(readSamlTime('soon+02:00')).toEqual({ date: null });
  });

  it('says durations the way people do', () => {
    const cases: [number, string][] = [
      [0, '0 s'],
      [59.4, '59 s'],
      [59.6, '1 min'],
      [-42, '42 s'],
      [60, '1 min'],
      [61, '1 min 1 s'],
      [252, '4 min 12 s'],
      [3600, '1 h'],
      [7500, '2 h 5 min'],
      [7505, '2 h 5 min'],
      [86400, '1 day'],
      [86400 + 3600, '1 day 1 h'],
      [3 * 86400 + 2 * 3600 + 59, '3 days 2 h'],
      [2 * 86400 + 60, '2 days'],
    ];
    for (const [s, words] of cases) expect(formatDuration(s), String(s)).toBe(words);
  });

  it('writes instants without milliseconds when there are none', () => {
    expect(iso(new Date('2026-03-02T10:00:00Z'))).toBe('2026-03-02T10:00:00Z');
    expect(iso(new Date('2026-03-02T10:00:00.5Z'))).toBe('2026-03-02T10:00:00.500Z');
  });
});

describe('checks/util: how two URLs differ', () => {
  it('names the difference an engineer looks for first', () => {
    const cases: [string, string, string][] = [
      [ACS, ACS, 'identical'],
      [ACS, ` ${ACS}`, 'surrounding whitespace differs'],
      [ACS, `${ACS}/`, 'the actual value has a trailing slash'],
      [`${ACS}/`, ACS, 'the actual value lacks the trailing slash'],
      [ACS, `${ACS}//`, 'the actual value has a trailing slash'],
      [ACS, ACS.toUpperCase(), 'only upper/lower case differs'],
      [ACS, ACS.replace('https:', 'http:'), 'the scheme differs (http instead of https)'],
      [ACS, ACS.replace('eu-west-1', 'us-east-1'), 'another AWS region (us-east-1 instead of eu-west-1)'],
      [ACS, ACS.replace('3b5f8a2e-7c1d-4e9f-a0b6-5d4c3b2a1f0e', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'), 'another identity store or tenant id (0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d instead of 3b5f8a2e-7c1d-4e9f-a0b6-5d4c3b2a1f0e)'],
      [ACS, 'https://sso.example.com/saml/acs', 'another host (sso.example.com instead of eu-west-1.signin.aws.amazon.com)'],
      [ACS, `${ACS.slice(0, ACS.lastIndexOf('/'))}/other`, 'the path differs'],
      ['urn:amazon:webservices', 'urn:example:sp', 'the values differ'],
    ];
    for (const [e, a, words] of cases) expect(describeUriDifference(e, a), `${e} vs ${a}`).toBe(words);
  });
});

describe('checks/util: NameID shapes', () => {
  it('accepts an RFC 2822 addr-spec (dot-atom or quoted local part, dotted or literal domain)', () => {
    for (const ok of ['a@b', 'alex.morgan@contoso.com', "o'brien+aws@contoso.com", '"a b"@contoso.com', '"a\\"b"@c.com', 'a@[10.0.0.1]'])
      expect(isAddrSpec(ok), ok).toBe(true);
    for (const bad of ['', 'a', '@b', 'a@', 'a@@b', 'a..b@c', '.a@c', 'a.@c', 'a b@c', 'a@b c', '"a@c', 'a@[1 2]', ' a@b', 'a@b '])
      expect(isAddrSpec(bad), bad).toBe(false);
  });

  it('knows a guest UPN by #EXT#, in any letter case, and what provisioning makes of it', () => {
    expect(isGuestUpn('alex_fabrikam.com#EXT#@contoso.onmicrosoft.com')).toBe(true);
    expect(isGuestUpn('alex_fabrikam.com#ext#@contoso.onmicrosoft.com')).toBe(true);
    expect(isGuestUpn('alex.ext@contoso.com')).toBe(false);
    expect(guestUpnToAddress('alex_fabrikam.com#EXT#@contoso.onmicrosoft.com')).toBe('alex@fabrikam.com');
    expect(guestUpnToAddress(' alex_m_fabrikam.com#ext#@contoso.onmicrosoft.com ')).toBe('alex_m@fabrikam.com');
    for (const no of ['alex@contoso.com', '_fabrikam.com#EXT#@x', 'alex_#EXT#@x', 'alexfabrikam.com#EXT#@x', '#EXT#@x']) expect(guestUpnToAddress(no), no).toBeUndefined();
  });

  it('names whitespace around a value, counted and in order', () => {
    expect(describeSurroundingWhitespace('a')).toBeUndefined();
    expect(describeSurroundingWhitespace('')).toBeUndefined();
    expect(describeSurroundingWhitespace('a b')).toBeUndefined();
    expect(describeSurroundingWhitespace(' a')).toBe('a leading space');
    expect(describeSurroundingWhitespace('a\t')).toBe('a trailing tab');
    expect(describeSurroundingWhitespace('  a\r\n')).toBe('2 leading spaces and a trailing carriage return and a trailing line break');
    expect(describeSurroundingWhitespace('\u00a0a\u2003')).toBe('a leading non-breaking space and a trailing U+2003 space');
    expect(describeSurroundingWhitespace(' \n ')).toBe('only whitespace (2 spaces and a line break)');
  });

  it('counts edits between two words', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('emailAddress', 'emailAddress')).toBe(0);
    expect(editDistance('emailAdress', 'emailAddress')).toBe(1);
    expect(editDistance('emailaddress', 'emailAddress')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ab', 'ba')).toBe(2);
  });

  it('shortens a long value for a sentence, at exactly the limit', () => {
    expect(short('abc', 3)).toBe('abc');
    expect(short('abcd', 3)).toBe('ab…');
    expect(short('x'.repeat(80))).toBe('x'.repeat(80));
    expect(short('x'.repeat(81))).toBe(`${'x'.repeat(79)}…`);
  });
});

describe('checks/util: AccessControl attribute names', () => {
  it('reads the right name, and an empty key as not well formed', () => {
    expect(parseAccessControlName(`${NS}/AccessControl:CostCenter`)).toEqual({ key: 'CostCenter', wellFormed: true, problems: [] });
    expect(parseAccessControlName(`${NS}/AccessControl:`)).toEqual({ key: '', wellFormed: false, problems: [] });
    expect(parseAccessControlName('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/department')).toBeUndefined();
  });

  it('names each usual mistake', () => {
    const problems = (n: string) => parseAccessControlName(n)?.problems;
    expect(problems('AccessControl:CostCenter')).toEqual([`the namespace ${NS}/ is missing`]);
    expect(problems(` ${NS}/AccessControl:CostCenter`)).toEqual(['surrounding whitespace']);
    expect(problems('http://aws.amazon.com/SAML/Attributes/AccessControl:CostCenter')).toEqual(['http instead of https']);
    expect(problems(`${NS}//AccessControl:CostCenter`)).toEqual(['a double slash before AccessControl, as when the Namespace is entered with a trailing slash']);
    expect(problems(`${NS}AccessControl:CostCenter`)).toEqual(['no slash between the namespace and AccessControl']);
    expect(problems('https://AWS.amazon.com/SAML/Attributes/AccessControl:CostCenter')).toEqual(['wrong upper/lower case in the namespace (https://AWS.amazon.com/SAML/Attributes/)']);
    expect(problems('https://example.com/claims/AccessControl:CostCenter')).toEqual(['another namespace (https://example.com/claims/) instead of https://aws.amazon.com/SAML/Attributes/']);
    expect(problems(`${NS}/accesscontrol:CostCenter`)).toEqual(['"accesscontrol" instead of "AccessControl"']);
    expect(problems(`${NS}/AccessControl/CostCenter`)).toEqual(['"AccessControl/" instead of "AccessControl:"']);
    expect(problems(`${NS}/AccessControl :CostCenter`)).toEqual(['whitespace around the colon after AccessControl']);
    // The last mention counts: an earlier one is part of the namespace.
    expect(parseAccessControlName('https://x/AccessControl:y/AccessControl:Key')?.key).toBe('Key');
    expect(problems('http://aws.amazon.com/SAML/Attributes//accesscontrol/K')).toEqual([
      'http instead of https',
      'a double slash before AccessControl, as when the Namespace is entered with a trailing slash',
      '"accesscontrol" instead of "AccessControl"',
      '"AccessControl/" instead of "AccessControl:"',
    ]);
  });
});

describe('checks/util: signatures', () => {
  it('a signature protects only with a SignatureValue and a Reference', () => {
    expect(isUsableSignature({ hasSignatureValue: true, references: [1] })).toBe(true);
    expect(isUsableSignature({ hasSignatureValue: false, references: [1] })).toBe(false);
    expect(isUsableSignature({ hasSignatureValue: true, references: [] })).toBe(false);
    expect(signatureGap({ hasSignatureValue: true, references: [1] })).toBeUndefined();
    expect(signatureGap({ hasSignatureValue: false, references: [1] })).toBe('no SignatureValue');
    expect(signatureGap({ hasSignatureValue: true, references: [] })).toBe('no Reference');
    expect(signatureGap({ hasSignatureValue: false, references: [] })).toBe('no SignatureValue and no Reference');
  });

  it('knows the SHA-1 and MD5 algorithm URIs, and nothing stronger', () => {
    for (const weak of [
      'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
      'http://www.w3.org/2000/09/xmldsig#dsa-sha1',
      'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1',
      'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
      'http://www.w3.org/2001/04/xmldsig-more#rsa-md5',
      'http://www.w3.org/2000/09/xmldsig#sha1',
      'http://www.w3.org/2001/04/xmldsig-more#md5',
      ' http://www.w3.org/2000/09/xmldsig#RSA-SHA1 ',
    ])
      expect(isWeakSignatureAlgorithm(weak), weak).toBe(true);
    for (const strong of [undefined, '', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2001/04/xmlenc#sha256', 'http://example.com/sha1', 'http://x#sha1x', 'http://x#foo-sha1'])
      expect(isWeakSignatureAlgorithm(strong), String(strong)).toBe(false);
  });
});

describe('checks/util: the raw text at a model path', () => {
  const xml = '<r:Response xmlns:r="urn:r"><a> one </a><b><a>x</a></b><a>\n two\n</a><a/></r:Response>';
  it('follows the path by local name and position, untrimmed', () => {
    expect(rawTextAt(xml, '/Response/a')).toBe(' one ');
    expect(rawTextAt(xml, '/Response/a[1]')).toBe(' one ');
    expect(rawTextAt(xml, '/Response/a[2]')).toBe('\n two\n');
    expect(rawTextAt(xml, '/Response/a[3]')).toBe('');
    expect(rawTextAt(xml, '/Response/b/a')).toBe('x');
  });
  it('undefined for a path that is not there, a wrong root, a bad step or XML that does not parse', () => {
    expect(rawTextAt(xml, '/Response/a[4]')).toBeUndefined();
    expect(rawTextAt(xml, '/Response/c')).toBeUndefined();
    expect(rawTextAt(xml, '/Assertion/a')).toBeUndefined();
    expect(rawTextAt(xml, '/Response/a[x]')).toBeUndefined();
    expect(rawTextAt(xml, '')).toBeUndefined();
    expect(rawTextAt('<r><a>', '/r/a')).toBeUndefined();
  });
});
