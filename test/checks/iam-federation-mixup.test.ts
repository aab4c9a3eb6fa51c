import { describe, expect, it } from 'vitest';
import { LAB, makeAuthnRequest, samlId, signedResponse } from '../lab/factory.ts';
import { AWS_MANAGE_AUTH, ENTRA_CLAIMS, ENTRA_NEW_APP } from '../../lib/domain/console.ts';
import { expectFinding, findingsFor, type Case, passTable, type FailCase } from './harness.ts';

const ID = 'iam-federation-mixup';
const reqId = samlId();
const NS = 'https://aws.amazon.com/SAML/Attributes/';
const IAM = 'https://signin.aws.amazon.com/saml';
const ROLE = 'arn:aws:iam::123456789012:role/EntraAdmins,arn:aws:iam::123456789012:saml-provider/EntraID';
const FIX =
  `Use the Entra gallery app "AWS IAM Identity Center" (${ENTRA_NEW_APP}), not "AWS Single-Account Access" or "Amazon Web Services (AWS)", which are made for IAM SAML federation; ` +
  `set it up with Identity Center's own SAML metadata (from ${AWS_MANAGE_AUTH}), and remove the Role, RoleSessionName, SessionDuration and PrincipalTag claims (${ENTRA_CLAIMS}).`;
const ACS_SHAPE = 'https://<region>.signin.aws/platform/saml/acs/<tenant-id> (the Identity Center ACS URL)';

const pass: Case[] = [
  { name: 'clean signed Entra response, SP-initiated', request: makeAuthnRequest({ id: reqId }), response: signedResponse({ inResponseTo: reqId }) },
  { name: 'clean signed Entra response, IdP-initiated', response: signedResponse() },
  { name: 'Identity Center AccessControl attributes', response: signedResponse({ accessControl: { Department: 'Engineering' } }) },
  {
    name: 'names that only resemble IAM ones',
    response: signedResponse({ attributes: [{ name: 'Role', values: ['admin'] }, { name: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', values: ['Admin'] }, { name: `${NS}RoleName`, values: ['x'] }] }),
  },
  {
    name: "a lone Recipient on IAM's endpoint, Destination and Audience Identity Center's (recipient-mismatch reports it)",
    response: signedResponse({ recipient: IAM }),
  },
  {
    name: 'a lone GovCloud IAM Recipient, the ACS configured (recipient-mismatch reports it)',
    response: signedResponse({ recipient: 'https://signin.amazonaws-us-gov.com/saml' }),
    expectations: { acsUrl: LAB.acsUrl },
  },
  { name: 'an Identity Center ACS in the dual-stack form', response: signedResponse({ destination: `https://${LAB.region}.sso.signin.aws/platform/saml/acs/${LAB.acsTenantId}` }) },
];

type Fail = FailCase;

const fail: Fail[] = [
  {
    name: 'a response from the "AWS Single-Account Access" app, posted to IAM',
    response: signedResponse({
      destination: IAM,
      recipient: IAM,
      audience: 'urn:amazon:webservices',
      attributes: [
        { name: `${NS}Role`, values: [ROLE] },
        { name: `${NS}RoleSessionName`, values: [LAB.user] },
      ],
    }),
    capture: { url: IAM },
    findings: [
      {
        severity: 'error',
        messageKey: 'iamEndpoint',
        messageHas: [`it was posted to ${IAM}`, `Destination ${IAM}`, `Recipient ${IAM}`, 'Audience urn:amazon:webservices', 'attribute Role', 'attribute RoleSessionName'],
        evidence: [
          { label: 'posted to', expected: ACS_SHAPE, actual: IAM },
          { label: 'Destination', expected: ACS_SHAPE, actual: IAM, path: '/Response' },
          { label: 'Recipient', actual: IAM, path: '/Response/Assertion/Subject/SubjectConfirmation/SubjectConfirmationData' },
          { label: 'Audience', actual: 'urn:amazon:webservices', path: '/Response/Assertion/Conditions/AudienceRestriction/Audience' },
          { label: 'IAM federation attribute Role', expected: '(absent)', actual: `${NS}Role`, path: '/Response/Assertion/AttributeStatement/Attribute[10]' },
          { label: 'IAM federation attribute RoleSessionName', actual: `${NS}RoleSessionName`, path: '/Response/Assertion/AttributeStatement/Attribute[11]' },
        ],
      },
    ],
  },
  {
    name: 'SP-initiated: the Audience is a regional IAM endpoint; the expected entity ID is the request\'s Issuer',
    request: makeAuthnRequest({ id: reqId }),
    response: signedResponse({ inResponseTo: reqId, audience: 'https://us-east-1.signin.aws.amazon.com/saml' }),
    findings: [
      {
        severity: 'error',
        messageKey: 'iamEndpoint',
        messageHas: ['Audience https://us-east-1.signin.aws.amazon.com/saml'],
        evidence: [{ label: 'Audience', expected: LAB.spEntityId, actual: 'https://us-east-1.signin.aws.amazon.com/saml', source: "the AuthnRequest's Issuer" }],
      },
    ],
  },
  {
    name: 'the Recipient is the GovCloud IAM endpoint and a Role attribute says IAM federation, the ACS is configured',
    response: signedResponse({ recipient: 'https://signin.amazonaws-us-gov.com/saml', attributes: [{ name: `${NS}Role`, values: [ROLE] }] }),
    expectations: { acsUrl: LAB.acsUrl },
    findings: [
      {
        severity: 'error',
        messageKey: 'iamEndpoint',
        messageHas: ['Recipient https://signin.amazonaws-us-gov.com/saml', 'attribute Role'],
        evidence: [
          { label: 'Recipient', expected: LAB.acsUrl, actual: 'https://signin.amazonaws-us-gov.com/saml', source: 'configured' },
          { label: 'IAM federation attribute Role', actual: `${NS}Role` },
        ],
      },
    ],
  },
  {
    name: 'SessionDuration with a lone IAM Recipient: the attribute is reported here, the Recipient by recipient-mismatch',
    response: signedResponse({ recipient: IAM, attributes: [{ name: `${NS}SessionDuration`, values: ['3600'] }] }),
    findings: [{ severity: 'warning', messageKey: 'iamAttributes', messageHas: ['attribute SessionDuration'], evidence: [{ label: 'IAM federation attribute SessionDuration', actual: `${NS}SessionDuration` }] }],
  },
  {
    name: 'IAM federation attributes riding along in an Identity Center response',
    response: signedResponse({
      attributes: [
        { name: `${NS}Role`, values: [ROLE] },
        { name: `${NS}SessionDuration`, values: ['3600'] },
        { name: `${NS}PrincipalTag:Department`, values: ['Engineering'] },
        { name: `${NS}TransitiveTagKeys`, values: ['Department'] },
      ],
    }),
    findings: [
      {
        severity: 'warning',
        messageKey: 'iamAttributes',
        messageHas: ['attribute Role', 'attribute SessionDuration', 'attribute PrincipalTag:Department', 'attribute TransitiveTagKeys', 'ignores them'],
        evidence: [
          { label: 'IAM federation attribute Role', actual: `${NS}Role` },
          { label: 'IAM federation attribute SessionDuration', actual: `${NS}SessionDuration` },
          { label: 'IAM federation attribute PrincipalTag:Department', actual: `${NS}PrincipalTag:Department` },
          { label: 'IAM federation attribute TransitiveTagKeys', actual: `${NS}TransitiveTagKeys` },
        ],
      },
    ],
  },
  {
    name: "posted to IAM's endpoint (a query after it), nothing else of IAM's: where it was posted decides",
    response: signedResponse(),
    capture: { url: `${IAM}?RelayState=x#top` },
    findings: [{ severity: 'error', messageKey: 'iamEndpoint', messageHas: [`: it was posted to ${IAM}?RelayState=x#top. It goes`], evidence: [{ label: 'posted to', expected: ACS_SHAPE, actual: `${IAM}?RelayState=x#top` }], fix: FIX }],
  },
  {
    name: "two Audiences, Identity Center's and IAM's: one of IAM's is enough",
    response: signedResponse({ audience: [LAB.spEntityId, 'urn:amazon:webservices'] }),
    findings: [{ severity: 'error', messageKey: 'iamEndpoint', messageHas: [': Audience urn:amazon:webservices. It goes'], evidence: [{ label: 'Audience', actual: 'urn:amazon:webservices' }] }],
  },
  {
    name: 'a lone IAM Recipient and a PrincipalTag attribute: a warning about the attribute only (the Recipient is recipient-mismatch\'s)',
    response: signedResponse({ recipient: IAM, attributes: [{ name: `${NS}PrincipalTag:Dept`, values: ['x'] }] }),
    findings: [{ severity: 'warning', messageKey: 'iamAttributes', messageHas: ['plain IAM SAML federation (attribute PrincipalTag:Dept).'], evidence: [{ label: 'IAM federation attribute PrincipalTag:Dept', expected: '(absent)', actual: `${NS}PrincipalTag:Dept` }], fix: FIX }],
  },
  {
    name: 'Role and RoleSessionName, nothing sent to IAM: IAM federation by its attributes, said as a warning',
    response: signedResponse({ attributes: [{ name: `${NS}Role`, values: [ROLE] }, { name: `${NS}RoleSessionName`, values: [LAB.user] }] }),
    findings: [{ severity: 'warning', messageKey: 'iamAttributes', messageHas: ['(attribute Role, attribute RoleSessionName)'], evidence: [{ label: 'IAM federation attribute Role' }, { label: 'IAM federation attribute RoleSessionName' }] }],
  },
];

describe(ID, () => {
  passTable(ID, pass);
  for (const c of fail) {
    it(`fails: ${c.name}`, () => {
      const found = findingsFor(c, ID);
      expect(found.map((f) => f.messageKey)).toEqual(c.findings.map((f) => f.messageKey));
      c.findings.forEach((want, i) => {
        const f = found[i]!;
        expect(f.fix).toContain('"AWS IAM Identity Center"');
        expect(f.fix).toContain('RoleSessionName');
        expect(f.evidence).toHaveLength(want.evidence.length);
        expectFinding(f, want);
      });
    });
  }
});
