// Writes lib/evidence/tool-words.ts: the words samlscope writes itself (issue 14). The final
// redaction scan of an export (lib/evidence/export.ts) refuses an export where a collected
// identifier still shows; a value that is also one of the tool's own words ("Request", "Identity
// Center", "Expected" as a display name or an AccessControl value) stood in the headings, the JSON
// keys and the protocol's element names, and every export of such a capture was refused.
//
// The words: every run of ASCII letters in a string literal, template text or property name of lib/
// (TypeScript's parser: comments are not read, so the people named in examples are not words of
// the tool), and the element and attribute names of SAML 2.0, XML Signature and XML Encryption.
// `node scripts/tool-words.mjs` writes the file; `--check` fails when it is out of date (a unit test
// runs that).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const OUT = join(root, 'lib/evidence/tool-words.ts');

// saml-schema-assertion-2.0, -protocol-2.0, -metadata-2.0, xmldsig-core, xenc-schema: the names a
// message written by anyone may carry.
const SCHEMA_NAMES = `
Assertion AssertionIDRef AssertionURIRef EncryptedAssertion Issuer Signature Subject NameID BaseID EncryptedID
SubjectConfirmation SubjectConfirmationData KeyInfoConfirmationDataType Conditions Condition AudienceRestriction
Audience OneTimeUse ProxyRestriction Advice Statement AuthnStatement SubjectLocality AuthnContext
AuthnContextClassRef AuthnContextDeclRef AuthnContextDecl AuthenticatingAuthority AttributeStatement Attribute
AttributeValue EncryptedAttribute AuthzDecisionStatement Action Evidence NameIDType NameQualifier SPNameQualifier
Format SPProvidedID Method NotBefore NotOnOrAfter Recipient InResponseTo Address Count Version IssueInstant
AuthnInstant SessionIndex SessionNotOnOrAfter DNSName Name NameFormat FriendlyName Resource Decision Namespace
ID Destination Consent Extensions Status StatusCode StatusMessage StatusDetail Value AssertionIDRequest
SubjectQuery AuthnQuery RequestedAuthnContext Comparison AttributeQuery AuthzDecisionQuery AuthnRequest
ForceAuthn IsPassive ProtocolBinding AssertionConsumerServiceIndex AssertionConsumerServiceURL
AttributeConsumingServiceIndex ProviderName NameIDPolicy AllowCreate Scoping ProxyCount IDPList IDPEntry
ProviderID Loc GetComplete RequesterID Response ArtifactResolve Artifact ArtifactResponse ManageNameIDRequest
NewID NewEncryptedID Terminate ManageNameIDResponse LogoutRequest Reason LogoutResponse NameIDMappingRequest
NameIDMappingResponse EntityDescriptor EntitiesDescriptor SPSSODescriptor IDPSSODescriptor KeyDescriptor
SingleSignOnService SingleLogoutService AssertionConsumerService Binding Location ResponseLocation index
isDefault use WantAuthnRequestsSigned AuthnRequestsSigned WantAssertionsSigned protocolSupportEnumeration
entityID validUntil cacheDuration Organization OrganizationName OrganizationDisplayName OrganizationURL
ContactPerson contactType Company GivenName SurName EmailAddress TelephoneNumber NameIDFormat
AttributeConsumingService ServiceName RequestedAttribute isRequired
SignedInfo CanonicalizationMethod SignatureMethod Reference Transforms Transform DigestMethod DigestValue
SignatureValue KeyInfo KeyName KeyValue RetrievalMethod X509Data X509IssuerSerial X509IssuerName
X509SerialNumber X509SKI X509SubjectName X509Certificate X509CRL PGPData SPKIData MgmtData Object Manifest
SignatureProperties SignatureProperty RSAKeyValue Modulus Exponent DSAKeyValue Algorithm URI Type Id Target
MimeType Encoding InclusiveNamespaces PrefixList
EncryptedData EncryptedKey EncryptionMethod CipherData CipherValue CipherReference EncryptionProperties
ReferenceList DataReference KeyReference CarriedKeyName KeySize OAEPparams Recipient
Envelope Header Body Fault schemaLocation nil type xmlns xml lang space
`;

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith('.ts') && p !== OUT) out.push(p);
  }
  return out.sort();
}

export function toolWords() {
  const words = new Set();
  const add = (text) => {
    for (const run of text.match(/[A-Za-z]+/g) ?? []) if (run.length >= 2) words.add(run.toLowerCase());
  };
  add(SCHEMA_NAMES);
  for (const file of files(join(root, 'lib'))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const visit = (node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) add(node.text);
      // A property's name (the JSON keys of a bundle or a HAR); a variable's name is never written.
      else if ((ts.isPropertyAssignment(node) || ts.isPropertySignature(node) || ts.isPropertyDeclaration(node) || ts.isShorthandPropertyAssignment(node)) && node.name && ts.isIdentifier(node.name)) add(node.name.text);
      // An import's path is not written either.
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...words].sort();
}

function render(words) {
  const lines = [];
  let line = '';
  for (const w of words) {
    if (line.length + w.length + 1 > 100) {
      lines.push(line);
      line = '';
    }
    line += (line ? ' ' : '') + w;
  }
  if (line) lines.push(line);
  return `// Generated by scripts/tool-words.mjs from lib/ and the SAML, XML Signature and Encryption schemas: do
// not edit (run \`node scripts/tool-words.mjs\`). The words samlscope writes itself, lower case: the
// final redaction scan (lib/evidence/export.ts) does not take a value made only of them, standing
// in text of its own words, for an identifier left behind.
export const TOOL_WORDS = \`
${lines.join('\n')}
\`;
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = render(toolWords());
  if (process.argv.includes('--check')) {
    let old = '';
    try {
      old = readFileSync(OUT, 'utf8');
    } catch {}
    if (old !== text) {
      console.error(`${relative(root, OUT)} is out of date: run node scripts/tool-words.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
    console.log(`${relative(root, OUT)}: ${toolWords().length} words`);
  }
}
