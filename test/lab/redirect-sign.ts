// HTTP-Redirect binding signatures (SAML Bindings §3.4.4.1), made with node:crypto: an
// independent implementation of what lib/signature/verify.ts checks.
import { createSign } from 'node:crypto';
import { IDP_KEY, type TestKey } from './keys.ts';
import { toRedirect, URN } from './factory.ts';

export interface SignedRedirect {
  /** The query string, as it travels. */
  query: string;
  /** The encoded message value. */
  value: string;
  sigAlg: string;
  signature: string;
  relayState?: string;
}

/** Deflates, encodes and signs `xml` as `param`; RelayState optional. */
export function signRedirect(
  xml: string,
  o: { param?: 'SAMLRequest' | 'SAMLResponse'; relayState?: string; key?: TestKey; algorithm?: 'sha256' | 'sha1' } = {},
): SignedRedirect {
  const param = o.param ?? 'SAMLRequest';
  const value = toRedirect(xml);
  const sigAlg = o.algorithm === 'sha1' ? URN.rsaSha1 : URN.rsaSha256;
  let signed = `${param}=${value}`;
  if (o.relayState !== undefined) signed += `&RelayState=${encodeURIComponent(o.relayState)}`;
  signed += `&SigAlg=${encodeURIComponent(sigAlg)}`;
  const signature = createSign(o.algorithm === 'sha1' ? 'RSA-SHA1' : 'RSA-SHA256').update(signed).sign((o.key ?? IDP_KEY).privateKeyPem, 'base64');
  const out: SignedRedirect = { query: `${signed}&Signature=${encodeURIComponent(signature)}`, value, sigAlg, signature };
  if (o.relayState !== undefined) out.relayState = o.relayState;
  return out;
}
