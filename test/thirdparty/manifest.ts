// The third-party regression set (issue 17): SAML messages other people wrote, from 8 public
// sources, each with where it comes from, its licence (full texts in licenses/), the verdict
// expected from samlscope and why, judged by reading the message. Files are kept byte for byte
// as published (base64 ones too).
//
// How they are judged: pasted, with nothing configured (no Identity Center instance, no IdP
// certificate), and time checks at the message's own instant (its IssueInstant + 1 s, see
// load.ts) because they are years old. `expect` lists the check ids of every error and warning,
// with their message keys; info notes are not listed. Messages made for other service providers
// all carry the same four "not Identity Center / not Entra" warnings (NOT_IDC below): with nothing
// configured, samlscope can only say that their Audience, Destination, Recipient and Issuer do not
// have the shapes of Identity Center and Entra, which is true of every one of them.

export interface Source {
  repo: string;
  commit: string;
  licence: string;
  licenceFile: string;
}

export const SOURCES = {
  'python3-saml': { repo: 'SAML-Toolkits/python3-saml', commit: '0320fd4c4ae27d3ce5b8faeca6bb5807468626e8', licence: 'MIT', licenceFile: 'python3-saml.LICENSE' },
  'node-saml': { repo: 'node-saml/node-saml', commit: '1d8d66f16536687d577eea3335533928b57397be', licence: 'MIT', licenceFile: 'node-saml.LICENSE' },
  crewjam: { repo: 'crewjam/saml', commit: '346540312f721498fc75e69637d9250dd89f230b', licence: 'BSD-2-Clause', licenceFile: 'saml.LICENSE' },
  'ruby-saml': { repo: 'SAML-Toolkits/ruby-saml', commit: '2970ad987a676af52bce4518398b0e2f239ee76b', licence: 'MIT', licenceFile: 'ruby-saml.LICENSE' },
  'php-saml': { repo: 'SAML-Toolkits/php-saml', commit: 'c89d78c4aa398767cf9775d9e32d445e64213425', licence: 'MIT', licenceFile: 'php-saml.LICENSE' },
  pysaml2: { repo: 'IdentityPython/pysaml2', commit: '0252ec96058c87c43f89e05d978e72b6ba2e6978', licence: 'Apache-2.0', licenceFile: 'pysaml2.LICENSE' },
  samlify: { repo: 'tngan/samlify', commit: 'df182c734a525f558de5eb5f554dbfec217a285c', licence: 'MIT', licenceFile: 'samlify.LICENSE' },
  msdocs: {
    repo: 'MicrosoftDocs/entra-docs',
    commit: '01d447dc3d87ffe52e8020197f10ad568b9ba70d',
    licence: 'CC-BY-4.0 (documentation; code samples MIT), © Microsoft',
    licenceFile: 'msdocs.NOTICE',
  },
} satisfies Record<string, Source>;

export interface Entry {
  file: string;
  source: keyof typeof SOURCES;
  /** Path in the source repository (for msdocs: the page the sample is copied from). */
  path: string;
  /** What the message is, as parsed ('not-saml', 'doctype-refused' for unreadable ones). */
  kind: string;
  /** "check-id/messageKey" of every error and warning expected, in any order. */
  expect: string[];
  why: string;
}

const NOT_IDC = ['audience-mismatch/unknownShape', 'destination-mismatch/unknownShape', 'recipient-mismatch/unknownShape', 'issuer-mismatch/notEntra'];
const url = (e: Entry): string => `https://github.com/${SOURCES[e.source].repo}/blob/${SOURCES[e.source].commit}/${e.path}`;
export { url as sourceUrl };

export const ENTRIES: Entry[] = [
  // ---- python3-saml (OneLogin / SAML-Toolkits), MIT ----
  {
    file: 'python3-saml.valid_response.xml.base64',
    source: 'python3-saml',
    path: 'tests/data/responses/valid_response.xml.base64',
    kind: 'Response',
    expect: [...NOT_IDC, 'nameid-format/notAddrSpec', 'signature-weak-algorithm/xml', 'signature-weak-algorithm/xml', 'certificate-expiring/expired'],
    why:
      'A valid response for another SP: both signatures verify (rsa-sha1, so two SHA-1 warnings). Its NameID has the emailAddress Format but the value is a hex id, not name@domain. ' +
      'The signing certificate (feide.erlang.no) expired in 2007, before the 2014 IssueInstant.',
  },
  {
    file: 'python3-saml.empty_nameid.xml.base64',
    source: 'python3-saml',
    path: 'tests/data/responses/invalids/empty_nameid.xml.base64',
    kind: 'Response',
    expect: [...NOT_IDC, 'nameid-missing/empty', 'signature-weak-algorithm/xml', 'signature-weak-algorithm/xml', 'certificate-expiring/expired'],
    why: 'An emailAddress NameID element with no value: it names no user (nameid-missing/empty, not also a format finding). Same SHA-1 signatures and 2007 certificate as valid_response.',
  },
  {
    file: 'python3-saml.signature_wrapping_attack2.xml.base64',
    source: 'python3-saml',
    path: 'tests/data/responses/invalids/signature_wrapping_attack2.xml.base64',
    kind: 'Response',
    expect: [...NOT_IDC, 'signature-wrapping/nestedAssertion', 'signature-wrapping/referenceMismatch', 'signature-wrapping/notCovered', 'nameid-format/other', 'signature-weak-algorithm/xml', 'certificate-expiring/expired'],
    why:
      'An XSW attack: the spoofed first Assertion (id-SPOOFED_ASSERTION, NameID ANOTHER_ID) carries a signature whose Reference points at the original assertion, hidden inside <XSW_ATTACK>. ' +
      'So: a nested assertion, a signature that does not sign its own element, and nothing valid covering the assertion that is read. NameID is transient.',
  },
  {
    file: 'python3-saml.invalid_subjectconfirmation_nb.xml.base64',
    source: 'python3-saml',
    path: 'tests/data/responses/invalids/invalid_subjectconfirmation_nb.xml.base64',
    kind: 'Response',
    expect: [...NOT_IDC, 'signature-missing/unsigned', 'conditions-not-yet-valid/scdNotBefore'],
    why: 'Unsigned; the bearer SubjectConfirmationData carries NotBefore (2999), which the Web SSO profile forbids: reported as that, titled as that (not "not valid yet").',
  },
  {
    file: 'python3-saml.no_nameid.xml.base64',
    source: 'python3-saml',
    path: 'tests/data/responses/invalids/no_nameid.xml.base64',
    kind: 'Response',
    expect: [...NOT_IDC, 'signature-missing/unsigned', 'nameid-missing/missing'],
    why: 'Unsigned, and the Subject has a SubjectConfirmation but no NameID.',
  },
  {
    file: 'python3-saml.expired_response.xml.base64',
    source: 'python3-saml',
    path: 'tests/data/responses/expired_response.xml.base64',
    kind: 'Response',
    expect: [...NOT_IDC, 'signature-missing/unsigned', 'nameid-format/notAddrSpec'],
    why:
      'python3-saml calls it expired because it judges it today; judged at its own IssueInstant (2014-02-19T01:05:49Z) it is inside its window, so no time finding. ' +
      'It is unsigned, and its emailAddress NameID holds a hex id.',
  },
  // ---- node-saml, MIT ----
  {
    file: 'node-saml.logout_request_with_bad_expiration.xml',
    source: 'node-saml',
    path: 'test/static/logout_request_with_bad_expiration.xml',
    kind: 'LogoutRequest',
    expect: ['signature-weak-algorithm/xml'],
    why: 'A signed (rsa-sha1) LogoutRequest whose NotOnOrAfter (2022) is bad only when judged today; at its own instant (2013) it is valid. Its Destination cannot be compared (pasted, no URL).',
  },
  {
    file: 'node-saml.response.root-resigned-by-attacker.xml',
    source: 'node-saml',
    path: 'test/static/signatures/invalid/response.root-resigned-by-attacker-assertion-unsigned-attackers-cert-at-keyinfo.xml',
    kind: 'Response',
    expect: [...NOT_IDC, 'assertion-unsigned/responseOnly', 'signature-weak-algorithm/xml'],
    why:
      'The Response is re-signed by an attacker with the attacker\'s certificate in KeyInfo, and the assertion is unsigned. The signature verifies with that certificate; ' +
      'only a configured IdP certificate can expose it (signature-cert-mismatch notes that none is configured). What can be seen: the Response is signed, the Assertion not.',
  },
  {
    file: 'node-saml.response.root-signed.message-signed-no-subjectconfirmation.xml',
    source: 'node-saml',
    path: 'test/static/response.root-signed.message-signed-no-subjectconfirmation.xml',
    kind: 'Response',
    expect: [
      'destination-mismatch/unknownShape', 'issuer-mismatch/notEntra', 'audience-mismatch/missing', 'conditions-not-yet-valid/notYetValid', 'recipient-mismatch/noBearer',
      'signature-invalid/digest', 'signature-invalid/value', 'signature-weak-algorithm/xml', 'signature-weak-algorithm/xml', 'certificate-expiring/expiring',
    ],
    why:
      'Edited test data: the SubjectConfirmation was removed (no bearer confirmation), there is no Audience, and Conditions NotBefore (2020) is five years after the IssueInstant (2015). ' +
      'The Response signature verifies; the Assertion signature does not (its content changed after signing; xml-crypto agrees). The certificate expires within 30 days of 2015-08-31.',
  },
  // ---- crewjam/saml (Go), BSD-2-Clause ----
  {
    file: 'crewjam.TestSPResponseWithNoIssuer_response',
    source: 'crewjam',
    path: 'testdata/TestSPResponseWithNoIssuer_response',
    kind: 'Response',
    expect: ['destination-mismatch/unknownShape', 'encrypted-assertion/encryptedAssertion', 'issuer-mismatch/missingResponseIssuer'],
    why: 'A Response with an EncryptedAssertion and no Issuer: Identity Center supports no encryption, and the profile requires an Issuer when the assertion is encrypted. Nothing else is readable.',
  },
  {
    file: 'crewjam.TestXswPermutationOneIsRejected_response',
    source: 'crewjam',
    path: 'testdata/TestXswPermutationOneIsRejected_response',
    kind: 'Response',
    expect: [...NOT_IDC, 'signature-wrapping/nestedAssertion', 'signature-wrapping/duplicateId', 'signature-wrapping/referenceMismatch', 'signature-wrapping/notCovered', 'signature-weak-algorithm/xml'],
    why: 'XSW permutation 1 (_evil_response_ID): the original signed Response is moved inside the evil one\'s Signature; two elements share the signed ID and the assertion read is not covered.',
  },
  {
    file: 'crewjam.TestSPCanHandleOktaSignedResponseEncryptedAssertion_response',
    source: 'crewjam',
    path: 'testdata/TestSPCanHandleOktaSignedResponseEncryptedAssertion_response',
    kind: 'Response',
    expect: ['destination-mismatch/unknownShape', 'issuer-mismatch/notEntra', 'encrypted-assertion/encryptedAssertion'],
    why: 'An Okta response (Issuer http://www.okta.com/…) with an EncryptedAssertion: Identity Center cannot read it. Findings speak of "the identity provider", not Entra.',
  },
  {
    file: 'crewjam.TestSPRejectsInjectedComment_response',
    source: 'crewjam',
    path: 'testdata/TestSPRejectsInjectedComment_response',
    kind: 'Response',
    expect: [...NOT_IDC, 'nameid-format/absent', 'assertion-unsigned/responseOnly'],
    why:
      'The unmodified response the Go test injects a comment into at run time (the file itself has none, so no nameid-comment): NameID ross@octolabs.io without a Format, ' +
      'and only the Response is signed.',
  },
  {
    file: 'crewjam.TestSPCanProduceRedirectLogoutRequest_decodedRequest',
    source: 'crewjam',
    path: 'testdata/TestSPCanProduceRedirectLogoutRequest_decodedRequest',
    kind: 'LogoutRequest',
    expect: [],
    why: 'A plain SP LogoutRequest with a NameID and a Destination; pasted, so the Destination has nothing to be compared with. Nothing wrong.',
  },
  {
    file: 'crewjam.TestSPCanProduceRedirectLogoutResponse_decodedResponse',
    source: 'crewjam',
    path: 'testdata/TestSPCanProduceRedirectLogoutResponse_decodedResponse',
    kind: 'LogoutResponse',
    expect: [],
    why: 'A LogoutResponse with Status Success. Nothing wrong.',
  },
  // ---- ruby-saml (OneLogin / SAML-Toolkits), MIT ----
  {
    file: 'ruby-saml.adfs_response_sha256.xml',
    source: 'ruby-saml',
    path: 'test/responses/adfs_response_sha256.xml',
    kind: 'Response',
    expect: [...NOT_IDC],
    why:
      'An ADFS response. Its KeyInfo holds a base64-wrapped PEM, not a DER certificate, so no key can be read from the message: the signature is "not verified" (an info note), ' +
      'not "does not verify". Otherwise only the not-Identity-Center shapes; no "Entra" in any text.',
  },
  {
    file: 'ruby-saml.empty_destination.xml.base64',
    source: 'ruby-saml',
    path: 'test/responses/invalids/empty_destination.xml.base64',
    kind: 'Response',
    expect: [...NOT_IDC, 'nameid-format/notAddrSpec', 'signature-weak-algorithm/xml', 'signature-weak-algorithm/xml', 'certificate-expiring/expired'],
    why: 'Destination="" (empty): not an Identity Center ACS URL. Otherwise the same OneLogin test response as python3-saml valid_response.',
  },
  {
    file: 'ruby-saml.attackxee.xml',
    source: 'ruby-saml',
    path: 'test/responses/attackxee.xml',
    kind: 'doctype-refused',
    expect: ['decode-error/unreadable'],
    why: 'An XXE attack through a DOCTYPE with an external entity: refused before anything is read.',
  },
  {
    file: 'ruby-saml.slo_request.xml',
    source: 'ruby-saml',
    path: 'test/logout_requests/slo_request.xml',
    kind: 'LogoutRequest',
    expect: [],
    why: 'A OneLogin LogoutRequest with a NameID; its IssueInstant has no zone (read as UTC here). Nothing wrong.',
  },
  // ---- php-saml (OneLogin / SAML-Toolkits), MIT ----
  {
    file: 'php-saml.logout_no_nameId.xml',
    source: 'php-saml',
    path: 'tests/data/logout_requests/invalids/no_nameId.xml',
    kind: 'LogoutRequest',
    expect: ['nameid-missing/logoutMissing'],
    why: 'A LogoutRequest without NameID: it does not say whose session to end.',
  },
  {
    file: 'php-saml.logout_not_after_failed.xml',
    source: 'php-saml',
    path: 'tests/data/logout_requests/invalids/not_after_failed.xml',
    kind: 'LogoutRequest',
    expect: ['conditions-expired/logoutExpired'],
    why: 'Its NotOnOrAfter is before its own IssueInstant: expired even at the moment it was made.',
  },
  {
    file: 'php-saml.logout_status_code_responder.xml.base64',
    source: 'php-saml',
    path: 'tests/data/logout_responses/invalids/status_code_responder.xml.base64',
    kind: 'LogoutResponse',
    expect: ['status-not-success/logoutFailed'],
    why: 'A DEFLATE+base64 LogoutResponse with status Responder: the logout did not complete (a warning about the logout, not a sign-in failure).',
  },
  {
    file: 'php-saml.logout_no_status.xml.base64',
    source: 'php-saml',
    path: 'tests/data/logout_responses/invalids/no_status.xml.base64',
    kind: 'LogoutResponse',
    expect: ['status-not-success/missing'],
    why: 'A LogoutResponse without a Status element: titled "has no Status", not "reported a failure".',
  },
  {
    file: 'php-saml.authn_request.xml',
    source: 'php-saml',
    path: 'tests/data/requests/authn_request.xml',
    kind: 'AuthnRequest',
    expect: ['request-not-identity-center/both'],
    why: 'An AuthnRequest from a OneLogin demo SP: neither its Issuer nor its ACS URL has Identity Center\'s shape.',
  },
  // ---- pysaml2 (IdentityPython), Apache-2.0 ----
  {
    file: 'pysaml2.simplesamlphp_authnresponse.xml',
    source: 'pysaml2',
    path: 'tests/simplesamlphp_authnresponse.xml',
    kind: 'Response',
    expect: [...NOT_IDC, 'nameid-format/other', 'signature-invalid/digest', 'signature-invalid/value', 'signature-weak-algorithm/xml'],
    why: 'A 2008 simpleSAMLphp response with a transient NameID; its Assertion signature does not verify (the file was re-indented after signing; xml-crypto agrees).',
  },
  {
    file: 'pysaml2.signed-xsw-response-in-response-first-sig.xml',
    source: 'pysaml2',
    path: 'tests/xsw/signed-xsw-response-in-response-first-sig.xml',
    kind: 'Response',
    expect: [
      ...NOT_IDC, 'signature-wrapping/nestedAssertion', 'signature-wrapping/duplicateId', 'signature-wrapping/signsUnreadElement', 'signature-wrapping/notCovered', 'nameid-format/other',
      'signature-invalid/digest', 'signature-invalid/value', 'assertion-unsigned/responseOnly', 'signature-weak-algorithm/xml', 'signature-weak-algorithm/xml', 'certificate-expiring/expired',
    ],
    why: 'XSW with a Response wrapped inside a Response, the first signature pointing at the inner one: wrapping, a broken signature on the outer content, and an expired test certificate.',
  },
  {
    file: 'pysaml2.eidas_response.xml',
    source: 'pysaml2',
    path: 'tests/eidas_response.xml',
    kind: 'Response',
    expect: [
      'audience-mismatch/unknownShape', 'destination-mismatch/unknownShape', 'issuer-mismatch/notEntra', 'issuer-mismatch/format', 'nameid-format/other', 'recipient-mismatch/noBearer',
      'signature-invalid/digest', 'assertion-unsigned/responseOnly',
    ],
    why:
      'An eIDAS response: persistent NameID, an Issuer with a Format other than entity, a SubjectConfirmation whose Method is not bearer, and a Response signature whose digest ' +
      'does not match (xml-crypto agrees).',
  },
  {
    file: 'pysaml2.okta_response.xml',
    source: 'pysaml2',
    path: 'tests/okta_response.xml',
    kind: 'not-saml',
    expect: ['decode-error/unreadable'],
    why: 'Despite its name, the file is a lone EncryptedAssertion, not a SAML protocol message: unreadable as a message, said so.',
  },
  // ---- samlify, MIT ----
  {
    file: 'samlify.response_signed.xml',
    source: 'samlify',
    path: 'test/misc/response_signed.xml',
    kind: 'Response',
    expect: [...NOT_IDC, 'signature-wrapping/referenceMismatch', 'nameid-format/other', 'in-response-to-mismatch/disagree', 'signature-weak-algorithm/xml', 'certificate-expiring/notYetValid'],
    why:
      'The signature sits in the Response but references the Assertion (SAML Core 5.4.2 wants the enclosing element), so the Response itself is not signed: no "only the Response is signed". ' +
      'Response and SubjectConfirmationData InResponseTo differ; NameID is a non-email format; the certificate was issued after the 2014 IssueInstant.',
  },
  {
    file: 'samlify.failed_response.xml',
    source: 'samlify',
    path: 'test/misc/failed_response.xml',
    kind: 'Response',
    expect: ['destination-mismatch/unknownShape', 'issuer-mismatch/notEntra', 'status-not-success/failed'],
    why: 'A failed status without an assertion: the failure is the finding (in "identity provider" words, not Entra\'s); the missing signature is only an info note.',
  },
  {
    file: 'samlify.request.xml',
    source: 'samlify',
    path: 'test/misc/request.xml',
    kind: 'AuthnRequest',
    expect: ['request-not-identity-center/both'],
    why: 'samlify\'s test SP AuthnRequest: not Identity Center\'s Issuer or ACS URL.',
  },
  {
    file: 'samlify.logout_request.xml',
    source: 'samlify',
    path: 'test/misc/logout_request.xml',
    kind: 'LogoutRequest',
    expect: [],
    why: 'A LogoutRequest with NameID and SessionIndex. Nothing wrong.',
  },
  // ---- Microsoft Entra documentation, "Single sign-on SAML protocol" ----
  {
    file: 'msdocs.authnrequest-sample.xml',
    source: 'msdocs',
    path: 'docs/identity-platform/single-sign-on-saml-protocol.md',
    kind: 'AuthnRequest',
    expect: ['request-not-identity-center/issuer'],
    why: 'Microsoft\'s sample AuthnRequest from https://www.contoso.com: not Identity Center\'s Issuer (it names no ACS URL).',
  },
  {
    file: 'msdocs.response-success-sample.xml',
    source: 'msdocs',
    path: 'docs/identity-platform/single-sign-on-saml-protocol.md',
    kind: 'Response',
    expect: [
      'audience-mismatch/unknownShape', 'destination-mismatch/unknownShape', 'recipient-mismatch/unknownShape', 'issuer-mismatch/loginHost', 'signature-missing/unsigned',
      'nameid-format/absent', 'nameid-format/notAddrSpec', 'in-response-to-mismatch/disagree',
    ],
    why:
      'Microsoft\'s sample success response, as printed: a bare SignatureValue (no ds:Signature) signs nothing; the Issuer uses login.microsoftonline.com (with a leading space); ' +
      'the NameID is a pairwise id without Format; the Response and SubjectConfirmationData InResponseTo differ.',
  },
  {
    file: 'msdocs.response-failure-sample.xml',
    source: 'msdocs',
    path: 'docs/identity-platform/single-sign-on-saml-protocol.md',
    kind: 'Response',
    expect: ['status-not-success/failed'],
    why:
      'Microsoft\'s sample failure: Requester / RequestUnsupported with AADSTS75006 and AADSTS90011 from an Entra issuer, so Entra is named; neither code is in samlscope\'s AADSTS list, so the fix links Microsoft\'s lookup page for 75006.',
  },
];
