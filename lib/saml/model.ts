// The typed model of SAML 2.0 protocol messages, as far as the checks need them.
// Every value keeps the path it was read from, so a finding can say where.

export const NS = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xs: 'http://www.w3.org/2001/XMLSchema',
} as const;

/** Text content of an element, with the signs of tampering a naive reader would miss. */
export interface TextInfo {
  /** All direct text joined, as a parser that drops comments would read it. */
  value: string;
  path: string;
  /** The first text node alone: what a DOM's firstChild reads. Differs from value when split. */
  firstText: string;
  hasComment: boolean;
  hasProcessingInstruction: boolean;
  textNodeCount: number;
  hasChildElements: boolean;
}

/** An Issuer: its text and its Format attribute, when written. */
export interface IssuerInfo extends TextInfo {
  format?: string;
}

export interface NameIdInfo extends TextInfo {
  format?: string;
  nameQualifier?: string;
  spNameQualifier?: string;
  spProvidedId?: string;
}

export interface StatusInfo {
  /** Top-level StatusCode Value. */
  code?: string;
  /** Nested StatusCode Values, outermost first. */
  subCodes: string[];
  message?: string;
  hasDetail: boolean;
  path: string;
}

export interface SignatureReference {
  uri?: string;
  digestMethod?: string;
  digestValue?: string;
  transforms: string[];
}

export interface SignatureInfo {
  path: string;
  /** The element the ds:Signature sits in. */
  parentPath: string;
  parentLocal: string;
  parentId?: string;
  signatureMethod?: string;
  c14nMethod?: string;
  references: SignatureReference[];
  /** Base64 DER of each ds:X509Certificate in KeyInfo, whitespace removed. */
  certificates: string[];
  hasSignatureValue: boolean;
}

export interface SubjectConfirmationInfo {
  method?: string;
  path: string;
  data?: {
    path: string;
    recipient?: string;
    notOnOrAfter?: string;
    notBefore?: string;
    inResponseTo?: string;
    address?: string;
  };
}

export interface ConditionsInfo {
  path: string;
  notBefore?: string;
  notOnOrAfter?: string;
  audienceRestrictionCount: number;
  /** Every Audience of every AudienceRestriction. */
  audiences: TextInfo[];
  oneTimeUse: boolean;
  hasProxyRestriction: boolean;
}

export interface AuthnStatementInfo {
  path: string;
  authnInstant?: string;
  sessionIndex?: string;
  sessionNotOnOrAfter?: string;
  authnContextClassRef?: string;
}

export interface AttributeValueInfo extends TextInfo {
  /** Holds child elements (structured XML) rather than text. */
  structured: boolean;
  nil: boolean;
  /** xsi:type as written, if any. */
  type?: string;
}

export interface AttributeInfo {
  name: string;
  nameFormat?: string;
  friendlyName?: string;
  values: AttributeValueInfo[];
  path: string;
}

export interface AssertionInfo {
  path: string;
  id?: string;
  version?: string;
  issueInstant?: string;
  issuer?: IssuerInfo;
  nameId?: NameIdInfo;
  /** The Subject holds an EncryptedID instead of a NameID. */
  encryptedId: boolean;
  hasSubject: boolean;
  subjectConfirmations: SubjectConfirmationInfo[];
  conditions?: ConditionsInfo;
  authnStatements: AuthnStatementInfo[];
  attributeStatementCount: number;
  /** Attributes of every AttributeStatement, in order. */
  attributes: AttributeInfo[];
  /** EncryptedAttribute elements (not readable). */
  encryptedAttributeCount: number;
  /** ds:Signature elements that are direct children of this Assertion. */
  signatures: SignatureInfo[];
}

interface MessageBase {
  /** The root element's local name. */
  rootName: string;
  rootPath: string;
  /** Namespace URI of the root element ('' when the sender used none). */
  rootNs: string;
  id?: string;
  version?: string;
  issueInstant?: string;
  destination?: string;
  inResponseTo?: string;
  consent?: string;
  issuer?: IssuerInfo;
  /** ds:Signature elements that are direct children of the root. */
  signatures: SignatureInfo[];
  /** Every ds:Signature anywhere in the message. */
  allSignatures: SignatureInfo[];
  /** Element paths for every ID / AssertionID attribute value (duplicates mean trouble). */
  ids: Record<string, string[]>;
  /** Elements in the SAML namespaces written without any namespace. */
  missingNamespace: boolean;
}

export interface AuthnRequestInfo extends MessageBase {
  kind: 'AuthnRequest';
  acsUrl?: string;
  acsIndex?: string;
  protocolBinding?: string;
  forceAuthn?: string;
  isPassive?: string;
  providerName?: string;
  nameIdPolicy?: { format?: string; allowCreate?: string; spNameQualifier?: string; path: string };
  requestedAuthnContext?: { comparison?: string; classRefs: string[]; path: string };
  hasSubject: boolean;
  hasScoping: boolean;
}

export interface ResponseInfo extends MessageBase {
  kind: 'Response';
  status?: StatusInfo;
  assertions: AssertionInfo[];
  encryptedAssertions: { path: string }[];
}

export interface LogoutRequestInfo extends MessageBase {
  kind: 'LogoutRequest';
  nameId?: NameIdInfo;
  sessionIndexes: string[];
  notOnOrAfter?: string;
  reason?: string;
}

export interface LogoutResponseInfo extends MessageBase {
  kind: 'LogoutResponse';
  status?: StatusInfo;
}

export type SamlMessage = AuthnRequestInfo | ResponseInfo | LogoutRequestInfo | LogoutResponseInfo;
export type SamlKind = SamlMessage['kind'];

export type ParseErrorCode = 'malformed-xml' | 'undeclared-prefix' | 'not-saml';

export interface SamlParseError {
  ok: false;
  code: ParseErrorCode;
  message: string;
}

export const STATUS_PREFIX = 'urn:oasis:names:tc:SAML:2.0:status:';
export const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
export const CM_BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
