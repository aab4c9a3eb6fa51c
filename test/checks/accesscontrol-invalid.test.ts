import { describe, expect, it } from 'vitest';
import { makeAuthnRequest, samlId, signedResponse, URN } from '../lab/factory.ts';
import { AWS_ABAC, ENTRA_CLAIMS } from '../../lib/domain/console.ts';
import { expectFinding, findingsFor, type Case, passTable, type FailCase } from './harness.ts';

const ID = 'accesscontrol-invalid';
const reqId = samlId();
const NS = 'https://aws.amazon.com/SAML/Attributes';
const AC = `${NS}/AccessControl:`;
const FIX_NAME = `${ENTRA_CLAIMS}: edit the claim so that Name is "AccessControl:<Key>" and Namespace is exactly "https://aws.amazon.com/SAML/Attributes" (https, this case, no trailing slash); Entra joins them into https://aws.amazon.com/SAML/Attributes/AccessControl:<Key>.`;
const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`Key${i + 1}`, `value${i + 1}`]));

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'three well-formed AccessControl attributes', response: signedResponse({ accessControl: { Department: 'Engineering', CostCenter: 'CC-1234', Team: 'Blue Team' } }) },
  { name: 'exactly 50 AccessControl attributes', response: signedResponse({ accessControl: keys(50) }) },
  { name: 'every allowed special character, and non-ASCII letters', response: signedResponse({ accessControl: { 'Dept_1.a:b/c=d+e-f@g h': 'a_b.c:d/e=f+g-h@i j', Stadt: 'Zürich' } }) },
  { name: 'a key of 128 and a value of 256 characters', response: signedResponse({ accessControl: { ['K'.repeat(128)]: 'v'.repeat(256) } }) },
  { name: 'PrincipalTag attributes are iam-federation-mixup\'s', response: signedResponse({ attributes: [{ name: `${NS}/PrincipalTag:Dept`, values: ['a', 'b'] }] }) },
  { name: 'other multi-valued claims (groups) are not AccessControl', response: signedResponse({ groups: 3 }) },
  { name: 'failed status without an assertion', response: signedResponse({ status: { code: URN.responder } }, { target: 'response' }) },
];

type Fail = FailCase;

const wrong = (name: string, problem: string): Fail => ({
  name: `wrong name: ${name}`,
  response: signedResponse({ attributes: [{ name, values: ['Engineering'] }] }),
  findings: [
    {
      severity: 'warning',
      messageKey: 'wrongNamespace', fix: `${FIX_NAME}`,
      messageHas: [name, `${AC}Department`, problem, 'ignores it'],
      evidence: [{ label: 'Attribute Name', expected: `${AC}Department`, actual: name, path: '/Response/Assertion/AttributeStatement/Attribute[10]' }],
    },
  ],
});

const fail: Fail[] = [
  {
    name: 'multi-valued AccessControl attribute',
    response: signedResponse({ accessControl: { Department: ['Engineering', 'Operations'] } }),
    findings: [
      {
        severity: 'error',
        messageKey: 'multiValued',
        messageHas: ['AccessControl:Department', '2 values', 'An unexpected error has occurred'],
        fix: `${ENTRA_CLAIMS}: open the AccessControl:Department claim and choose a single-valued source attribute (not groups or another multi-valued attribute).`,
        evidence: [
          { label: 'AccessControl:Department', expected: 'exactly one AttributeValue', actual: '2 AttributeValue elements', path: '/Response/Assertion/AttributeStatement/Attribute[10]' },
          { label: 'value 1', actual: 'Engineering', path: '/Response/Assertion/AttributeStatement/Attribute[10]/AttributeValue[1]' },
          { label: 'value 2', actual: 'Operations', path: '/Response/Assertion/AttributeStatement/Attribute[10]/AttributeValue[2]' },
        ],
      },
    ],
  },
  {
    name: 'the same AccessControl name twice',
    response: signedResponse({ accessControl: { Department: 'Engineering' }, attributes: [{ name: `${AC}Department`, values: ['Operations'] }] }),
    findings: [
      {
        severity: 'error',
        messageKey: 'duplicate',
        messageHas: [`${AC}Department`, '2 times', 'An unexpected error has occurred'],
        fix: `${ENTRA_CLAIMS}: two claims produce ${AC}Department; delete one of them.`,
        evidence: [
          { label: `${AC}Department (1 of 2)`, actual: 'Engineering', path: '/Response/Assertion/AttributeStatement/Attribute[10]' },
          { label: `${AC}Department (2 of 2)`, actual: 'Operations', path: '/Response/Assertion/AttributeStatement/Attribute[11]' },
        ],
      },
    ],
  },
  {
    name: '51 AccessControl attributes',
    response: signedResponse({ accessControl: keys(51) }),
    findings: [{ severity: 'error', messageKey: 'tooMany', fix: `${ENTRA_CLAIMS}: remove AccessControl claims until at most 50 remain (keep the keys the permission-set policies test; ${AWS_ABAC} lists them).`, messageHas: ['51', 'at most 50'], evidence: [{ label: 'AccessControl attributes', expected: 'at most 50', actual: '51', path: '/Response/Assertion/AttributeStatement' }] }],
  },
  {
    name: 'structured XML value',
    response: signedResponse({ attributes: [{ name: `${AC}Department`, values: ['<dept:Unit xmlns:dept="urn:example:dept">Engineering</dept:Unit>'], rawXml: true }] }),
    findings: [
      {
        severity: 'error',
        messageKey: 'structured',
        messageHas: ['AccessControl:Department', 'structured XML'],
        fix: `${ENTRA_CLAIMS}: open the AccessControl:Department claim and use a plain string source attribute or transformation.`,
        evidence: [{ label: 'AccessControl:Department value', expected: 'plain text', actual: '(XML elements)', path: '/Response/Assertion/AttributeStatement/Attribute[10]/AttributeValue' }],
      },
    ],
  },
  {
    name: 'empty value',
    response: signedResponse({ accessControl: { CostCenter: '' } }),
    findings: [{ severity: 'warning', messageKey: 'emptyValue', messageHas: ['AccessControl:CostCenter', 'source attribute is empty'], fix: `Give this user a value for the source attribute of the AccessControl:CostCenter claim (${ENTRA_CLAIMS} shows which attribute it is), or add a claim condition so that it is sent only when the attribute is set.`, evidence: [{ label: 'AccessControl:CostCenter value', actual: '(empty)' }] }],
  },
  {
    name: 'no AttributeValue at all',
    response: signedResponse({ attributes: [{ name: `${AC}CostCenter`, values: [] }] }),
    findings: [{ severity: 'warning', messageKey: 'emptyValue', fix: `Give this user a value for the source attribute of the AccessControl:CostCenter claim (${ENTRA_CLAIMS} shows which attribute it is), or add a claim condition so that it is sent only when the attribute is set.`, evidence: [{ actual: '(empty)', path: '/Response/Assertion/AttributeStatement/Attribute[10]' }] }],
  },
  {
    name: 'a tag key of 129 characters',
    response: signedResponse({ accessControl: { ['K'.repeat(129)]: 'x' } }),
    findings: [{ severity: 'warning', messageKey: 'keyTooLong', fix: `${ENTRA_CLAIMS}: rename the claim AccessControl:<Key> to a key of at most 128 characters, and the key in ${AWS_ABAC} and the policies with it.`, messageHas: ['129 characters', 'at most 128'], evidence: [{ label: 'tag key', expected: 'at most 128 characters', actual: 'K'.repeat(129) }] }],
  },
  {
    name: 'a tag value of 257 characters',
    response: signedResponse({ accessControl: { Department: 'v'.repeat(257) } }),
    findings: [{ severity: 'warning', messageKey: 'valueTooLong', fix: `${ENTRA_CLAIMS}: open the AccessControl:Department claim and use a source attribute whose values fit in 256 characters.`, messageHas: ['257 characters', 'at most 256'], evidence: [{ label: 'AccessControl:Department value', actual: 'v'.repeat(257) }] }],
  },
  {
    name: 'characters AWS tags do not allow, in the value',
    response: signedResponse({ accessControl: { Department: 'R&D, Europe' } }),
    findings: [{ severity: 'warning', messageKey: 'badCharacters', messageHas: ['value', '"&" ","'], fix: `${ENTRA_CLAIMS}: open the AccessControl:Department claim and use a source attribute (or a claim transformation) that yields allowed characters only.`, evidence: [{ label: 'tag value', actual: 'R&D, Europe', path: '/Response/Assertion/AttributeStatement/Attribute[10]/AttributeValue' }] }],
  },
  {
    name: 'characters AWS tags do not allow, in the key',
    response: signedResponse({ accessControl: { 'Cost#Center': 'CC-1' } }),
    findings: [{ severity: 'warning', messageKey: 'badCharacters', messageHas: ['key', '"#"'], fix: `${ENTRA_CLAIMS}: rename the claim AccessControl:Cost#Center with allowed characters only, and the key in ${AWS_ABAC} with it.`, evidence: [{ label: 'tag key', actual: 'Cost#Center' }] }],
  },
  {
    name: 'a key starting with aws:',
    response: signedResponse({ accessControl: { 'aws:team': 'Blue' } }),
    findings: [{ severity: 'warning', messageKey: 'awsPrefix', messageHas: ['key', 'aws:'], fix: `${ENTRA_CLAIMS}: rename the claim AccessControl:aws:team so that the key does not start with "aws:".`, evidence: [{ label: 'tag key', actual: 'aws:team' }] }],
  },
  {
    name: 'a value starting with aws:',
    response: signedResponse({ accessControl: { Team: 'AWS:blue' } }),
    findings: [{ severity: 'warning', messageKey: 'awsPrefix', messageHas: ['value'], fix: `${ENTRA_CLAIMS}: open the AccessControl:Team claim and change the source so that the value does not start with "aws:".`, evidence: [{ label: 'tag value', actual: 'AWS:blue' }] }],
  },
  {
    name: 'two names that differ only in case',
    response: signedResponse({ accessControl: { Department: 'Engineering', department: 'Operations' } }),
    findings: [{ severity: 'warning', messageKey: 'caseDuplicate', fix: `${ENTRA_CLAIMS}: keep one of these claims and delete the others.`, messageHas: [`${AC}Department, ${AC}department`], evidence: [{ actual: `${AC}Department` }, { actual: `${AC}department` }] }],
  },
  {
    name: 'no key after AccessControl:',
    response: signedResponse({ attributes: [{ name: AC, values: ['x'] }] }),
    findings: [{ severity: 'warning', messageKey: 'emptyKey', fix: `${FIX_NAME}`, evidence: [{ label: 'Attribute Name', actual: AC }] }],
  },
  wrong('AccessControl:Department', 'namespace https://aws.amazon.com/SAML/Attributes/ is missing'),
  wrong(`${NS}//AccessControl:Department`, 'double slash'),
  wrong(`${NS}/AccessControl/Department`, '"AccessControl/" instead of "AccessControl:"'),
  wrong('http://aws.amazon.com/SAML/Attributes/AccessControl:Department', 'http instead of https'),
  wrong('https://aws.amazon.com/saml/attributes/AccessControl:Department', 'wrong upper/lower case in the namespace'),
  wrong(`${NS}/accesscontrol:Department`, '"accesscontrol" instead of "AccessControl"'),
  wrong('https://aws.amazon.com/SAML/AccessControl:Department', 'another namespace'),
  {
    name: 'SP-initiated: several flaws at once, each reported',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId, accessControl: { Department: ['Engineering', 'Operations'], CostCenter: '' } }),
    findings: [
      { severity: 'error', messageKey: 'multiValued', evidence: [{ label: 'value 2', actual: 'Operations' }] },
      { severity: 'warning', messageKey: 'emptyValue', evidence: [{ label: 'AccessControl:CostCenter value' }] },
    ],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => f.messageKey)).toEqual(c.findings.map((f) => f.messageKey));
      c.findings.forEach((want, i) => {
        expectFinding(found[i]!, want);
      });
    });
  }
});
