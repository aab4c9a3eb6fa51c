// XML → typed SAML model. Namespace-aware (by URI, never by prefix). Never throws.
import {
  attr,
  child,
  childrenNamed,
  descendants,
  elements,
  isNs,
  parseXml,
  type XElement,
  type XmlDocument,
} from './xml.ts';
import {
  NS,
  type AssertionInfo,
  type AttributeInfo,
  type AttributeValueInfo,
  type AuthnRequestInfo,
  type AuthnStatementInfo,
  type ConditionsInfo,
  type LogoutRequestInfo,
  type LogoutResponseInfo,
  type IssuerInfo,
  type NameIdInfo,
  type ResponseInfo,
  type SamlMessage,
  type SamlParseError,
  type SignatureInfo,
  type StatusInfo,
  type SubjectConfirmationInfo,
  type TextInfo,
} from './model.ts';

export function textInfo(el: XElement): TextInfo {
  let value = '';
  let firstText: string | undefined;
  let hasComment = false;
  let hasPi = false;
  let count = 0;
  let hasChildElements = false;
  let prevWasText = false;
  for (const c of el.children) {
    if (c.kind === 'text') {
      value += c.value;
      if (firstText === undefined) firstText = c.value;
      if (!prevWasText) count++;
      prevWasText = true;
      continue;
    }
    prevWasText = false;
    if (c.kind === 'comment') hasComment = true;
    else if (c.kind === 'pi') hasPi = true;
    else hasChildElements = true;
  }
  return {
    value: value.trim(),
    path: el.path,
    firstText: (firstText ?? '').trim(),
    hasComment,
    hasProcessingInstruction: hasPi,
    textNodeCount: count,
    hasChildElements,
  };
}

function issuerInfo(el: XElement): IssuerInfo {
  const t: IssuerInfo = textInfo(el);
  const f = attr(el, 'Format');
  if (f !== undefined) t.format = f;
  return t;
}

function nameIdInfo(el: XElement): NameIdInfo {
  const t: NameIdInfo = textInfo(el);
  const f = attr(el, 'Format');
  if (f !== undefined) t.format = f;
  const nq = attr(el, 'NameQualifier');
  if (nq !== undefined) t.nameQualifier = nq;
  const spq = attr(el, 'SPNameQualifier');
  if (spq !== undefined) t.spNameQualifier = spq;
  const spp = attr(el, 'SPProvidedID');
  if (spp !== undefined) t.spProvidedId = spp;
  return t;
}

function set<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

function signatureInfo(sig: XElement, parent: XElement): SignatureInfo {
  const si = child(sig, NS.ds, 'SignedInfo');
  const info: SignatureInfo = {
    path: sig.path,
    parentPath: parent.path,
    parentLocal: parent.local,
    references: [],
    certificates: [],
    hasSignatureValue: !!child(sig, NS.ds, 'SignatureValue')?.children.some((c) => c.kind === 'text' && c.value.trim() !== ''),
  };
  set(info, 'parentId', attr(parent, 'ID') ?? attr(parent, 'AssertionID'));
  set(info, 'signatureMethod', attr(child(si, NS.ds, 'SignatureMethod'), 'Algorithm'));
  set(info, 'c14nMethod', attr(child(si, NS.ds, 'CanonicalizationMethod'), 'Algorithm'));
  if (si) {
    for (const ref of childrenNamed(si, NS.ds, 'Reference')) {
      const transforms = child(ref, NS.ds, 'Transforms');
      const r: SignatureInfo['references'][number] = {
        transforms: transforms ? childrenNamed(transforms, NS.ds, 'Transform').map((t) => attr(t, 'Algorithm') ?? '') : [],
      };
      set(r, 'uri', attr(ref, 'URI'));
      set(r, 'digestMethod', attr(child(ref, NS.ds, 'DigestMethod'), 'Algorithm'));
      const dv = child(ref, NS.ds, 'DigestValue');
      if (dv) r.digestValue = textInfo(dv).value;
      info.references.push(r);
    }
  }
  const keyInfo = child(sig, NS.ds, 'KeyInfo');
  if (keyInfo) {
    for (const x of descendants(keyInfo, NS.ds, 'X509Certificate')) {
      const b64 = textInfo(x).value.replace(/\s+/g, '');
      if (b64) info.certificates.push(b64);
    }
  }
  return info;
}

function directSignatures(el: XElement): SignatureInfo[] {
  return childrenNamed(el, NS.ds, 'Signature').map((s) => signatureInfo(s, el));
}

function allSignatures(root: XElement, out: SignatureInfo[] = []): SignatureInfo[] {
  for (const c of root.children) {
    if (c.kind !== 'element') continue;
    if (c.local === 'Signature' && (c.ns === NS.ds || c.ns === '')) out.push(signatureInfo(c, root));
    else allSignatures(c, out);
  }
  return out;
}

function collectIds(el: XElement, out: Record<string, string[]>): void {
  const a = el.attrs;
  let v = a.ID;
  if (v !== undefined) (out[v] ??= []).push(el.path);
  v = a.AssertionID;
  if (v !== undefined) (out[v] ??= []).push(el.path);
  v = a.Id;
  if (v !== undefined) (out[v] ??= []).push(el.path);
  for (const c of el.children) if (c.kind === 'element') collectIds(c, out);
}

function anyMissingNamespace(el: XElement): boolean {
  if (el.ns === '') return true;
  for (const c of el.children) if (c.kind === 'element' && anyMissingNamespace(c)) return true;
  return false;
}

function statusInfo(el: XElement | undefined): StatusInfo | undefined {
  if (!el) return undefined;
  const s: StatusInfo = { subCodes: [], hasDetail: !!child(el, NS.samlp, 'StatusDetail'), path: el.path };
  let code = child(el, NS.samlp, 'StatusCode');
  set(s, 'code', attr(code, 'Value'));
  code = child(code, NS.samlp, 'StatusCode');
  while (code) {
    const v = attr(code, 'Value');
    if (v) s.subCodes.push(v);
    code = child(code, NS.samlp, 'StatusCode');
  }
  const msg = child(el, NS.samlp, 'StatusMessage');
  if (msg) s.message = textInfo(msg).value;
  return s;
}

function conditionsInfo(el: XElement): ConditionsInfo {
  const restrictions = childrenNamed(el, NS.saml, 'AudienceRestriction');
  const c: ConditionsInfo = {
    path: el.path,
    audienceRestrictionCount: restrictions.length,
    audiences: restrictions.flatMap((r) => childrenNamed(r, NS.saml, 'Audience').map(textInfo)),
    oneTimeUse: !!child(el, NS.saml, 'OneTimeUse'),
    hasProxyRestriction: !!child(el, NS.saml, 'ProxyRestriction'),
  };
  set(c, 'notBefore', attr(el, 'NotBefore'));
  set(c, 'notOnOrAfter', attr(el, 'NotOnOrAfter'));
  return c;
}

function attributeValue(el: XElement): AttributeValueInfo {
  const t = textInfo(el) as AttributeValueInfo;
  t.structured = t.hasChildElements;
  t.nil = false;
  // xsi:nil and xsi:type, by namespace URI, in one pass (most AttributeValues have no attributes).
  for (const k in el.attrs) {
    const colon = k.indexOf(':');
    if (colon < 0 || el.nsScope[k.slice(0, colon)] !== NS.xsi) continue;
    const local = k.slice(colon + 1);
    const v = el.attrs[k]!;
    if (local === 'nil') t.nil = v === 'true' || v === '1';
    else if (local === 'type') t.type = v;
  }
  return t;
}

function assertionInfo(el: XElement): AssertionInfo {
  const a: AssertionInfo = {
    path: el.path,
    encryptedId: false,
    hasSubject: false,
    subjectConfirmations: [],
    authnStatements: [],
    attributeStatementCount: 0,
    attributes: [],
    encryptedAttributeCount: 0,
    signatures: directSignatures(el),
  };
  set(a, 'id', attr(el, 'ID') ?? attr(el, 'AssertionID'));
  set(a, 'version', attr(el, 'Version'));
  set(a, 'issueInstant', attr(el, 'IssueInstant'));
  const issuer = child(el, NS.saml, 'Issuer');
  if (issuer) a.issuer = issuerInfo(issuer);
  const subject = child(el, NS.saml, 'Subject');
  if (subject) {
    a.hasSubject = true;
    const nid = child(subject, NS.saml, 'NameID');
    if (nid) a.nameId = nameIdInfo(nid);
    a.encryptedId = !!child(subject, NS.saml, 'EncryptedID');
    for (const sc of childrenNamed(subject, NS.saml, 'SubjectConfirmation')) {
      const info: SubjectConfirmationInfo = { path: sc.path };
      set(info, 'method', attr(sc, 'Method'));
      const d = child(sc, NS.saml, 'SubjectConfirmationData');
      if (d) {
        const data: NonNullable<SubjectConfirmationInfo['data']> = { path: d.path };
        set(data, 'recipient', attr(d, 'Recipient'));
        set(data, 'notOnOrAfter', attr(d, 'NotOnOrAfter'));
        set(data, 'notBefore', attr(d, 'NotBefore'));
        set(data, 'inResponseTo', attr(d, 'InResponseTo'));
        set(data, 'address', attr(d, 'Address'));
        info.data = data;
      }
      a.subjectConfirmations.push(info);
    }
  }
  const cond = child(el, NS.saml, 'Conditions');
  if (cond) a.conditions = conditionsInfo(cond);
  for (const st of childrenNamed(el, NS.saml, 'AuthnStatement')) {
    const s: AuthnStatementInfo = { path: st.path };
    set(s, 'authnInstant', attr(st, 'AuthnInstant'));
    set(s, 'sessionIndex', attr(st, 'SessionIndex'));
    set(s, 'sessionNotOnOrAfter', attr(st, 'SessionNotOnOrAfter'));
    const ref = child(child(st, NS.saml, 'AuthnContext'), NS.saml, 'AuthnContextClassRef');
    if (ref) s.authnContextClassRef = textInfo(ref).value;
    a.authnStatements.push(s);
  }
  for (const st of childrenNamed(el, NS.saml, 'AttributeStatement')) {
    a.attributeStatementCount++;
    for (const at of elements(st)) {
      // By namespace URI: an x:Attribute with x bound to another namespace is not SAML's.
      if (!isNs(at, NS.saml)) continue;
      if (at.local === 'EncryptedAttribute') {
        a.encryptedAttributeCount++;
        continue;
      }
      if (at.local !== 'Attribute') continue;
      const info: AttributeInfo = {
        name: attr(at, 'Name') ?? '',
        values: childrenNamed(at, NS.saml, 'AttributeValue').map(attributeValue),
        path: at.path,
      };
      set(info, 'nameFormat', attr(at, 'NameFormat'));
      set(info, 'friendlyName', attr(at, 'FriendlyName'));
      a.attributes.push(info);
    }
  }
  return a;
}

const KINDS = new Set(['AuthnRequest', 'Response', 'LogoutRequest', 'LogoutResponse']);

/** What the XML probably is, and what to give the tool instead. */
function notSamlHint(root: XElement): string {
  const local = root.local;
  const ns = root.ns;
  if (local.toLowerCase() === 'html' || ns === 'http://www.w3.org/1999/xhtml') {
    return 'It is a web page, probably an error page or the auto-submitting form: take the SAMLResponse value out of its form, or capture the sign-in as a HAR file.';
  }
  if (local === 'Assertion' || local === 'EncryptedAssertion') {
    return 'It is a bare Assertion: paste the whole Response that carries it (the SAMLResponse value).';
  }
  if (local === 'EntityDescriptor' || local === 'EntitiesDescriptor') {
    return 'It is SAML metadata, not a message: give it as the expected configuration instead, and paste a SAMLRequest or SAMLResponse here.';
  }
  if (ns.startsWith('urn:oasis:names:tc:SAML:1.')) {
    return 'It is SAML 1.x; Entra and AWS IAM Identity Center talk SAML 2.0: check that the Entra application uses SAML-based single sign-on.';
  }
  if (/RequestSecurityToken/.test(local) || ns.startsWith('http://docs.oasis-open.org/ws-sx/') || ns.startsWith('http://schemas.xmlsoap.org/ws/2005/02/trust')) {
    return 'It is a WS-Federation / WS-Trust token response, not SAML 2.0: AWS IAM Identity Center needs the Entra application set to SAML-based single sign-on.';
  }
  if (KINDS.has(local)) {
    return `Its name is right but its namespace is not urn:oasis:names:tc:SAML:2.0:protocol: the sender wrote it wrongly, and AWS will not read it either.`;
  }
  return 'Give samlscope the SAMLRequest or SAMLResponse value of the sign-in.';
}

/** Builds the model from a parsed document. */
export function modelFromDocument(doc: XmlDocument): SamlMessage | SamlParseError {
  const root = doc.root;
  if (!KINDS.has(root.local) || (root.ns !== NS.samlp && root.ns !== '')) {
    const what = root.ns ? `{${root.ns}}${root.local}` : root.local;
    return { ok: false, code: 'not-saml', message: `The XML is not a SAML protocol message this tool reads (AuthnRequest, Response, LogoutRequest, LogoutResponse): its root is ${what}. ${notSamlHint(root)}` };
  }
  // Built field by field in the order the model has always had (base, the common attributes,
  // kind, then the kind's own): spreading a base and a common part into each kind cost more than
  // reading the attributes.
  const ids: Record<string, string[]> = {};
  const m: Record<string, unknown> = {
    rootName: root.local,
    rootPath: root.path,
    rootNs: root.ns,
    signatures: directSignatures(root),
    allSignatures: allSignatures(root),
    ids,
    missingNamespace: anyMissingNamespace(root),
  };
  collectIds(root, ids);
  const a = root.attrs;
  let v: string | undefined;
  if ((v = attr(root, 'ID')) !== undefined) m.id = v;
  if ((v = attr(root, 'Version')) !== undefined) m.version = v;
  if ((v = attr(root, 'IssueInstant')) !== undefined) m.issueInstant = v;
  if ((v = attr(root, 'Destination')) !== undefined) m.destination = v;
  if ((v = attr(root, 'InResponseTo')) !== undefined) m.inResponseTo = v;
  if ((v = attr(root, 'Consent')) !== undefined) m.consent = v;
  const issuer = child(root, NS.saml, 'Issuer');
  if (issuer) m.issuer = issuerInfo(issuer);

  switch (root.local) {
    case 'AuthnRequest': {
      m.kind = 'AuthnRequest';
      m.hasSubject = !!child(root, NS.saml, 'Subject');
      m.hasScoping = !!child(root, NS.samlp, 'Scoping');
      if (Object.hasOwn(a, 'AssertionConsumerServiceURL')) m.acsUrl = a.AssertionConsumerServiceURL;
      if (Object.hasOwn(a, 'AssertionConsumerServiceIndex')) m.acsIndex = a.AssertionConsumerServiceIndex;
      if (Object.hasOwn(a, 'ProtocolBinding')) m.protocolBinding = a.ProtocolBinding;
      if (Object.hasOwn(a, 'ForceAuthn')) m.forceAuthn = a.ForceAuthn;
      if (Object.hasOwn(a, 'IsPassive')) m.isPassive = a.IsPassive;
      if (Object.hasOwn(a, 'ProviderName')) m.providerName = a.ProviderName;
      const pol = child(root, NS.samlp, 'NameIDPolicy');
      if (pol) {
        const p: NonNullable<AuthnRequestInfo['nameIdPolicy']> = { path: pol.path };
        if ((v = attr(pol, 'Format')) !== undefined) p.format = v;
        if ((v = attr(pol, 'AllowCreate')) !== undefined) p.allowCreate = v;
        if ((v = attr(pol, 'SPNameQualifier')) !== undefined) p.spNameQualifier = v;
        m.nameIdPolicy = p;
      }
      const rac = child(root, NS.samlp, 'RequestedAuthnContext');
      if (rac) {
        const r: NonNullable<AuthnRequestInfo['requestedAuthnContext']> = {
          path: rac.path,
          classRefs: childrenNamed(rac, NS.saml, 'AuthnContextClassRef').map((e) => textInfo(e).value),
        };
        set(r, 'comparison', attr(rac, 'Comparison'));
        m.requestedAuthnContext = r;
      }
      return m as unknown as AuthnRequestInfo;
    }
    case 'Response': {
      m.kind = 'Response';
      m.assertions = childrenNamed(root, NS.saml, 'Assertion').map(assertionInfo);
      m.encryptedAssertions = childrenNamed(root, NS.saml, 'EncryptedAssertion').map((e) => ({ path: e.path }));
      const status = statusInfo(child(root, NS.samlp, 'Status'));
      if (status !== undefined) m.status = status;
      return m as unknown as ResponseInfo;
    }
    case 'LogoutRequest': {
      m.kind = 'LogoutRequest';
      m.sessionIndexes = childrenNamed(root, NS.samlp, 'SessionIndex').map((e) => textInfo(e).value);
      const nid = child(root, NS.saml, 'NameID');
      if (nid) m.nameId = nameIdInfo(nid);
      if ((v = attr(root, 'NotOnOrAfter')) !== undefined) m.notOnOrAfter = v;
      if ((v = attr(root, 'Reason')) !== undefined) m.reason = v;
      return m as unknown as LogoutRequestInfo;
    }
    default: {
      m.kind = 'LogoutResponse';
      const status = statusInfo(child(root, NS.samlp, 'Status'));
      if (status !== undefined) m.status = status;
      return m as unknown as LogoutResponseInfo;
    }
  }
}

/** XML text → model. Never throws. */
export function parseSaml(xml: string): SamlMessage | SamlParseError {
  const doc = parseXml(xml);
  if (!('root' in doc)) return { ok: false, code: doc.code, message: doc.message };
  try {
    return modelFromDocument(doc);
  } catch (e) {
    const msg = e instanceof RangeError ? 'it is nested too deeply to read' : ((e as Error)?.message ?? String(e));
    return { ok: false, code: 'malformed-xml', message: `The SAML message could not be read: ${msg}.` };
  }
}

export function isParseError(x: SamlMessage | SamlParseError): x is SamlParseError {
  return 'ok' in x && x.ok === false;
}
