// Reading the assertion a sign-in rests on and its claims: helpers over the model that the
// checks, the flow findings and the analysis share.
import type { AssertionInfo, ResponseInfo, SamlMessage } from './model.ts';

export function isResponse(m: SamlMessage): m is ResponseInfo {
  return m.kind === 'Response';
}

/** The assertion the sign-in rests on: the first direct child Assertion (what SPs read). */
export function primaryAssertion(m: SamlMessage): AssertionInfo | undefined {
  return m.kind === 'Response' ? m.assertions[0] : undefined;
}

export const EMAIL_CLAIMS = [
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'email',
  'mail',
  'http://schemas.xmlsoap.org/claims/EmailAddress',
];
export const UPN_CLAIMS = [
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  'upn',
];

export function attributeValue(a: AssertionInfo | undefined, names: string[]): { name: string; value: string; path: string } | undefined {
  if (!a) return undefined;
  for (const n of names) {
    const at = a.attributes.find((x) => x.name.toLowerCase() === n.toLowerCase());
    const v = at?.values[0];
    if (at && v && v.value) return { name: at.name, value: v.value, path: v.path };
  }
  return undefined;
}
