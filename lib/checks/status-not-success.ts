import { explainAadsts, findAadstsCodes } from '../entra/aadsts.ts';
import { STATUS_PREFIX } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { ENTRA_SIGNIN_LOGS } from './fixes.ts';
import { defineCheck } from './types.ts';
import { isEntraIssuer } from '../domain/idp-words.ts';

const SUCCESS = `${STATUS_PREFIX}Success`;

/** What the standard second-level codes mean (SAML Core §3.2.2.2, FACTS E2). */
const SECOND_LEVEL: Record<string, string> = {
  AuthnFailed: 'the identity provider could not authenticate the user',
  InvalidAttrNameOrValue: 'an attribute name or value was invalid',
  InvalidNameIDPolicy: 'the identity provider cannot produce the requested NameID format',
  NoAuthnContext: 'the requested authentication context cannot be met',
  NoAvailableIDP: 'no identity provider is available',
  NoPassive: 'the user would have to interact but the request was passive (IsPassive)',
  NoSupportedIDP: 'no supported identity provider',
  PartialLogout: 'logout did not complete at every party',
  ProxyCountExceeded: 'the proxy count was exceeded',
  RequestDenied: 'the identity provider refused the request',
  RequestUnsupported: 'the identity provider does not support the request',
  RequestVersionDeprecated: 'the SAML version of the request is deprecated',
  RequestVersionTooHigh: 'the SAML version of the request is too high',
  RequestVersionTooLow: 'the SAML version of the request is too low',
  ResourceNotRecognized: 'the resource is not recognised',
  TooManyResponses: 'too many responses',
  UnknownAttrProfile: 'unknown attribute profile',
  UnknownPrincipal: 'the user is unknown to the identity provider',
  UnsupportedBinding: 'the binding is not supported',
};

const TOP_LEVEL: Record<string, string> = {
  Requester: 'the identity provider blames the request',
  Responder: 'the identity provider failed on its side',
  VersionMismatch: 'the SAML version is wrong',
};

/** The i-th code nested in the top-level StatusCode (0: the second level), at its own depth. */
function nestedCodeEvidence(statusPath: string, code: string, i: number): Evidence {
  const label = i === 0 ? 'second-level StatusCode' : i === 1 ? 'third-level StatusCode' : `StatusCode at level ${i + 2}`;
  return { label, actual: code, path: `${statusPath}${'/StatusCode'.repeat(i + 2)}` };
}

function short(code: string): string {
  return code.startsWith(STATUS_PREFIX) ? code.slice(STATUS_PREFIX.length) : code;
}

export const statusNotSuccess = defineCheck({
  id: 'status-not-success',
  severity: 'error',
  title: 'The identity provider reported a failure',
  docs:
    'A Response whose StatusCode is not Success carries no usable assertion: the sign-in failed at Entra before AWS could accept anything. ' +
    'The second-level code and the AADSTS code in StatusMessage say why.',
  facts: ['E2', 'B5'],
  appliesTo: ['Response', 'LogoutResponse'],
  messages: {
    missing: 'The {kind} has no Status element; SAML requires one, and AWS cannot tell whether it succeeded.',
    noStatusCode: 'The {kind}\'s Status has no StatusCode; SAML requires one, and AWS cannot tell whether it succeeded.',
    failed: '{Idp} answered with status {code}{sub}: {meaning}.',
    aadsts: '{Idp} answered with status {code}{sub} and AADSTS{aadsts} ({name}): {cause}',
    logoutFailed:
      'The LogoutResponse from {sender} reports status {code}{sub}: {meaning}. The logout did not complete there, so a session may still be open.',
  },
  titles: {
    missing: 'The response has no Status',
    noStatusCode: 'The response\'s Status has no StatusCode',
    failed: 'The identity provider reported a failure',
    aadsts: 'Entra refused the sign-in (AADSTS error)',
    logoutFailed: 'The logout was not completed (LogoutResponse status)',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response' && m.kind !== 'LogoutResponse') return;
    const st = m.status;
    if (!st || !st.code) {
      report({
        message: st ? 'noStatusCode' : 'missing',
        data: { kind: m.kind },
        evidence: [{ label: 'StatusCode', expected: SUCCESS, actual: '(none)', path: st?.path ?? m.rootPath }],
        fix: 'The sender must include <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>.',
      });
      return;
    }
    if (st.code === SUCCESS) return;
    if (m.kind === 'LogoutResponse') {
      const top = short(st.code);
      const subs = st.subCodes.map(short);
      const issuer = m.issuer?.value;
      const who = !issuer ? '' : /signin\.aws/.test(issuer) ? 'AWS IAM Identity Center' : isEntraIssuer(issuer) ? 'Entra' : 'the identity provider';
      const sender = issuer ? `${who} (Issuer ${issuer})` : 'its sender (no Issuer)';
      const evidence: Evidence[] = [{ label: 'StatusCode', expected: SUCCESS, actual: st.code, path: `${st.path}/StatusCode` }];
      st.subCodes.forEach((c, i) => evidence.push(nestedCodeEvidence(st.path, c, i)));
      if (st.message) evidence.push({ label: 'StatusMessage', actual: st.message, path: `${st.path}/StatusMessage` });
      report({
        message: 'logoutFailed',
        severity: 'warning',
        data: {
          sender,
          code: top,
          sub: subs.length ? ` / ${subs.join(' / ')}` : '',
          // The meanings name the identity provider, the usual sender; a LogoutResponse may come
          // from Identity Center (it answers a logout the identity provider began).
          // (The sender's own StatusMessage is quoted as it is.)
          meaning:
            (subs.map((x) => SECOND_LEVEL[x]).find((x) => x) ?? TOP_LEVEL[top])?.replace(
              /the identity provider/g,
              who === 'AWS IAM Identity Center' ? 'Identity Center' : issuer ? 'the identity provider' : 'the sender',
            ) ?? (st.message ? `"${st.message}"` : 'no reason was given'),
        },
        evidence,
        fix:
          'Close the browser (or sign out of the AWS access portal and of the identity provider separately) so that no session stays open, then sign out again from the start. ' +
          'If it fails each time, the sender\'s logs say why: a session it no longer knows (the NameID or SessionIndex of the LogoutRequest) is the usual cause.',
      });
      return;
    }
    const top = short(st.code);
    const subs = st.subCodes.map(short);
    const sub = subs.length ? ` / ${subs.join(' / ')}` : '';
    const evidence: Evidence[] = [{ label: 'StatusCode', expected: SUCCESS, actual: st.code, path: `${st.path}/StatusCode` }];
    st.subCodes.forEach((c, i) => evidence.push(nestedCodeEvidence(st.path, c, i)));
    if (st.message) evidence.push({ label: 'StatusMessage', actual: st.message, path: `${st.path}/StatusMessage` });
    const codes = findAadstsCodes(st.message);
    // The most specific known code: Entra often wraps one code in another (75006 → 90011).
    const known = codes.map(explainAadsts).filter((x) => x !== undefined);
    const info = known[known.length - 1];
    if (info) {
      report({
        message: 'aadsts',
        data: { code: top, sub, aadsts: info.code, name: info.name, cause: info.cause },
        evidence,
        fix: info.fix,
      });
      return;
    }
    const meaning =
      subs.map((s) => SECOND_LEVEL[s]).find((x) => x) ??
      TOP_LEVEL[top] ??
      (codes.length ? `AADSTS${codes.join(', AADSTS')} (not in samlscope's list; look it up at https://login.microsoftonline.com/error?code=${codes[0]})` : 'no reason was given');
    report({
      message: 'failed',
      data: { code: top, sub, meaning },
      evidence,
      fix: `${ENTRA_SIGNIN_LOGS}: find this sign-in (by time and user) and read "Failure reason"${codes.length ? `; or look up https://login.microsoftonline.com/error?code=${codes[0]}` : ''}.`,
    });
  },
});
