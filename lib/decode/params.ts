// Finds the SAML parameters in whatever a person pasted: a whole URL, a query string,
// a form body, "SAMLResponse=..." on its own, or a bare value / XML.

export interface ExtractedParams {
  /** The raw (still encoded) value of SAMLRequest or SAMLResponse, or the whole text. */
  value: string;
  param?: 'SAMLRequest' | 'SAMLResponse';
  relayState?: string;
  sigAlg?: string;
  signature?: string;
  /** When the input was a URL. */
  url?: string;
  /** The query string as received (without '?'), for redirect signature checks. */
  rawQuery?: string;
  /** 'redirect' when the value came from a URL query, 'post' from a form body. */
  binding?: 'redirect' | 'post';
}

/** Form / query decoding: '+' is a space (RelayState may carry one encoded that way). */
function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

/** Percent-decoding that keeps '+': for base64 (Signature) and URIs (SigAlg), where a '+' is a '+'. */
function decodeKeepPlus(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

function splitPairs(qs: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of qs.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    if (!m.has(k)) m.set(k, v);
  }
  return m;
}

export function extractSamlParams(text: string): ExtractedParams {
  let t = text.trim();
  if (t.startsWith('<')) return { value: t };
  // Copied from an HTML page's source, the separators read "&amp;".
  if (/&amp;(SAMLRequest|SAMLResponse|RelayState|SigAlg|Signature)=/.test(t)) t = t.replace(/&amp;/g, '&');
  let url: string | undefined;
  let qs = t;
  let binding: 'redirect' | 'post' | undefined;
  if (/^https?:\/\//i.test(t)) {
    url = t.split(/[?#]/)[0];
    const q = t.indexOf('?');
    qs = q >= 0 ? t.slice(q + 1).split('#')[0]! : '';
    binding = 'redirect';
  } else if (t.startsWith('?')) {
    qs = t.slice(1);
    binding = 'redirect';
  }
  if (!/(^|&)(SAMLRequest|SAMLResponse)=/.test(qs)) {
    return url ? { value: '', url } : { value: t };
  }
  const pairs = splitPairs(qs);
  const param = pairs.has('SAMLResponse') ? 'SAMLResponse' : 'SAMLRequest';
  const out: ExtractedParams = { value: pairs.get(param) ?? '', param, rawQuery: qs };
  if (url) out.url = url;
  if (binding) out.binding = binding;
  const rs = pairs.get('RelayState');
  if (rs !== undefined) out.relayState = safeDecode(rs);
  const sa = pairs.get('SigAlg');
  if (sa !== undefined) out.sigAlg = decodeKeepPlus(sa);
  const sig = pairs.get('Signature');
  if (sig !== undefined) out.signature = decodeKeepPlus(sig);
  return out;
}
