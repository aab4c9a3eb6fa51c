// The AWS IAM Identity Center stand-in's SAML engine: @node-saml/node-saml makes the
// AuthnRequests (unsigned, HTTP-Redirect, NameIDPolicy emailAddress, like Identity Center's) and
// validates the posted responses (IdP cert, audience = entity ID, signed assertion, InResponseTo).
// On top of node-saml, a few checks AWS documents and node-saml does not make (FACTS A1.1, A1.3,
// A3.6): Destination/Recipient equal this ACS, NameID format emailAddress, NameID = an existing
// Identity Center user name.
import { inflateRaw } from 'pako';
import { SAML, ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import { LAB, URN } from '../factory.ts';
import type { TestKey } from '../keys.ts';
import type { LabInstance } from './scenarios.ts';

export interface AwsVerdictOk {
  ok: true;
  nameId: string;
  attributes: Record<string, string[]>;
  inResponseTo?: string;
}
export interface AwsVerdictError {
  ok: false;
  /** node-saml rejected it, or one of the lab's AWS-documented checks did. */
  source: 'node-saml' | 'lab';
  reason: string;
  /** The heading AWS shows for this kind of failure (FACTS A10). */
  heading: "It's not you, it's us" | 'An unexpected error has occurred';
}
export type AwsVerdict = AwsVerdictOk | AwsVerdictError;

export interface AwsSp {
  instance: LabInstance;
  /** The Entra URL to redirect to (SAMLRequest + RelayState) and the AuthnRequest ID. */
  startSignIn(relayState: string): Promise<{ url: string; requestId: string }>;
  consume(samlResponse: string): Promise<AwsVerdict>;
}

/** Reads one attribute of the posted (base64) response without trusting it: for the lab's checks. */
function readResponseAttrs(samlResponse: string): { destination?: string; recipient?: string } {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const dest = /<(?:\w+:)?Response\b[^>]*\sDestination="([^"]*)"/.exec(xml)?.[1];
  const rec = /<(?:\w+:)?SubjectConfirmationData\b[^>]*\sRecipient="([^"]*)"/.exec(xml)?.[1];
  const unesc = (s?: string) => s?.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return { destination: unesc(dest), recipient: unesc(rec) };
}

// node-saml reasons that AWS shows as "It's not you, it's us" (clock or certificate trouble,
// FACTS A10). An assertion whose every time window has passed fails node-saml's subject
// confirmation filter first ("No valid subject confirmation found ..."): a clock problem too.
const CLOCK_OR_CERT = /expired|not yet valid|NotBefore|NotOnOrAfter|clock|subject confirmation|signature|cert/i;

export function createAwsSp(instance: LabInstance, idpKey: TestKey): AwsSp {
  const saml = new SAML({
    entryPoint: LAB.ssoUrl,
    issuer: instance.entityId,
    callbackUrl: instance.acsUrl,
    audience: instance.entityId,
    idpCert: idpKey.certPem,
    idpIssuer: `https://sts.windows.net/${LAB.tenantId}/`,
    identifierFormat: URN.email,
    wantAssertionsSigned: true,
    // Entra's default is "Sign SAML assertion" (FACTS B3.1): the Response itself is unsigned.
    wantAuthnResponseSigned: false,
    disableRequestedAuthnContext: true,
    validateInResponseTo: ValidateInResponseTo.ifPresent,
    // Entra's NotBefore has no buffer (FACTS A6.3); tolerate a little skew like most SPs.
    acceptedClockSkewMs: 60_000,
  });

  return {
    instance,
    async startSignIn(relayState) {
      const url = await saml.getAuthorizeUrlAsync(relayState, undefined, {});
      const req = new URL(url).searchParams.get('SAMLRequest') ?? '';
      const xml = inflateRaw(Buffer.from(req, 'base64'), { toText: true });
      const requestId = /\sID="([^"]+)"/.exec(xml)?.[1] ?? '';
      return { url, requestId };
    },
    async consume(samlResponse) {
      let profile: Profile | null;
      try {
        ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse }));
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        return {
          ok: false,
          source: 'node-saml',
          reason,
          heading: CLOCK_OR_CERT.test(reason) ? "It's not you, it's us" : 'An unexpected error has occurred',
        };
      }
      const fail = (reason: string): AwsVerdictError => ({ ok: false, source: 'lab', reason, heading: 'An unexpected error has occurred' });
      if (!profile) return fail('no profile in the response');
      const { destination, recipient } = readResponseAttrs(samlResponse);
      if (destination !== undefined && destination !== instance.acsUrl) {
        return fail(`Destination ${destination} is not this ACS (${instance.acsUrl})`);
      }
      if (recipient !== undefined && recipient !== instance.acsUrl) {
        return fail(`SubjectConfirmationData Recipient ${recipient} is not this ACS (${instance.acsUrl})`);
      }
      if (profile.nameIDFormat !== URN.email) {
        return fail(`NameID format ${profile.nameIDFormat ?? '(none)'} is not ${URN.email}`);
      }
      if (!instance.userNames.includes(profile.nameID)) {
        return fail(`no Identity Center user has the user name ${profile.nameID}`);
      }
      const attributes: Record<string, string[]> = {};
      for (const [k, v] of Object.entries((profile.attributes ?? {}) as Record<string, unknown>)) {
        attributes[k] = (Array.isArray(v) ? v : [v]).map((x) => String(x));
      }
      const inResponseTo = typeof profile.inResponseTo === 'string' ? profile.inResponseTo : undefined;
      return { ok: true, nameId: profile.nameID, attributes, inResponseTo };
    },
  };
}
