// extractSamlParams on what people paste, compared whole (toStrictEqual: a key present with
// undefined is a difference). Written against the mutants of lib/decode/params.ts that survived
// `npm run mutate` (issue 17): the tests before checked the fields they expected, not the absence
// of the others, nor the edges of the query splitting.
import { describe, expect, it } from 'vitest';
import { extractSamlParams } from '../lib/decode/params.ts';

describe('extractSamlParams, whole results', () => {
  const cases: [string, string, ReturnType<typeof extractSamlParams>][] = [
    ['a form body: no url, binding, RelayState or signature keys', 'SAMLResponse=PHg%2B', { value: 'PHg%2B', param: 'SAMLResponse', rawQuery: 'SAMLResponse=PHg%2B' }],
    [
      'a redirect URL with every parameter, Signature and SigAlg keeping "+", RelayState reading "+" as a space',
      'https://login.microsoftonline.com/t/saml2?SAMLRequest=abc&RelayState=a+b%2Fc&SigAlg=http%3A%2F%2Fx%2Fa+b&Signature=QU+Jj%3D#frag',
      {
        value: 'abc',
        param: 'SAMLRequest',
        rawQuery: 'SAMLRequest=abc&RelayState=a+b%2Fc&SigAlg=http%3A%2F%2Fx%2Fa+b&Signature=QU+Jj%3D',
        url: 'https://login.microsoftonline.com/t/saml2',
        binding: 'redirect',
        relayState: 'a b/c',
        sigAlg: 'http://x/a+b',
        signature: 'QU+Jj=',
      },
    ],
    ['plain http is a URL too', 'http://sp.example/acs?SAMLResponse=x', { value: 'x', param: 'SAMLResponse', rawQuery: 'SAMLResponse=x', url: 'http://sp.example/acs', binding: 'redirect' }],
    ['"https://" not at the start is no URL', 'xhttps://sp.example/acs?SAMLResponse=x', { value: 'xhttps://sp.example/acs?SAMLResponse=x' }],
    ['a URL without a query has no parameters, even with "&SAMLRequest=" in its path', 'https://sp.example/a&SAMLRequest=x', { value: '', url: 'https://sp.example/a&SAMLRequest=x' }],
    ['a query string with "?"', '?SAMLRequest=x&RelayState=r', { value: 'x', param: 'SAMLRequest', rawQuery: 'SAMLRequest=x&RelayState=r', binding: 'redirect', relayState: 'r' }],
    ['the first of two values counts', 'SAMLResponse=first&SAMLResponse=second', { value: 'first', param: 'SAMLResponse', rawQuery: 'SAMLResponse=first&SAMLResponse=second' }],
    ['SAMLResponse is preferred over SAMLRequest', 'SAMLRequest=q&SAMLResponse=r', { value: 'r', param: 'SAMLResponse', rawQuery: 'SAMLRequest=q&SAMLResponse=r' }],
    ['a parameter without "=" is present and empty; empty parts are skipped', 'SAMLRequest=x&&RelayState', { value: 'x', param: 'SAMLRequest', rawQuery: 'SAMLRequest=x&&RelayState', relayState: '' }],
    ['malformed escapes are kept as written', 'SAMLRequest=x&RelayState=%E0%A4%A&Signature=%zz&SigAlg=%', { value: 'x', param: 'SAMLRequest', rawQuery: 'SAMLRequest=x&RelayState=%E0%A4%A&Signature=%zz&SigAlg=%', relayState: '%E0%A4%A', signature: '%zz', sigAlg: '%' }],
    ['"&amp;" separators (copied from HTML source) are read as "&"', 'SAMLRequest=x&amp;RelayState=r', { value: 'x', param: 'SAMLRequest', rawQuery: 'SAMLRequest=x&RelayState=r', relayState: 'r' }],
    ['"&amp;" before another parameter is left as written', 'SAMLRequest=x&amp;foo=1', { value: 'x', param: 'SAMLRequest', rawQuery: 'SAMLRequest=x&amp;foo=1' }],
    ['XML is the value as it is, whatever it contains', '  <x a="1&amp;SAMLResponse=zz"/>\n', { value: '<x a="1&amp;SAMLResponse=zz"/>' }],
    ['a bare value', ' PHNhbWw+ ', { value: 'PHNhbWw+' }],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      expect(extractSamlParams(text)).toStrictEqual(expected);
    });
  }
});
