// Import: HAR, SAML-tracer exports (as the add-on writes them), evidence bundles and pasted
// messages in any binding all become the input of the same analysis.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../lib/analyze.ts';
import { detectKind, importText, splitPasted } from '../../lib/evidence/import.ts';
import { readSamlTracer } from '../../lib/evidence/samltracer.ts';
import { readHar } from '../../lib/har/index.ts';
import { labSignInHar } from '../fixtures/har.ts';
import { LAB, makeAuthnRequest, makeResponse, samlId, signedResponse, toPost, toRedirect } from '../lab/factory.ts';

/**
 * A SAML-tracer export of an SP-initiated sign-in, shaped as SAML-tracer 1.x serialises its
 * requests (src/SAMLTraceIO.js exportRequests: the Request objects with the response merged in).
 */
function tracerExport(o: { legacy?: boolean; hashed?: boolean; audience?: string } = {}) {
  const t = new Date(Date.now() - 30_000);
  const date = (s: number) => new Date(t.getTime() + s * 1000).toUTCString();
  const id = samlId();
  const reqXml = makeAuthnRequest({ id, issueInstant: t });
  const respXml = signedResponse({ inResponseTo: id, issueInstant: t, ...(o.audience ? { audience: o.audience } : {}) });
  const reqValue = toRedirect(reqXml);
  const relay = 'https://d-93670a1b2c.awsapps.com/start';
  const headers = (h: Record<string, string>) =>
    o.legacy ? Object.entries(h).map(([k, v]) => [k, v]) : Object.entries(h).map(([name, value]) => ({ name, value }));
  const req = (r: Record<string, unknown>, i: number) => ({ ...(o.legacy ? { id: i } : { requestId: `request-${i}-GET-abc` }), ...r });
  const entraUrl = `${LAB.ssoUrl}?SAMLRequest=${reqValue}&RelayState=${encodeURIComponent(relay)}`;
  return {
    respXml,
    text: JSON.stringify(
      {
        requests: [
          req({ method: 'GET', url: LAB.portalUrl, requestHeaders: headers({ Host: 'd-93670a1b2c.awsapps.com' }), get: [], responseStatus: 302, responseStatusText: 'HTTP/1.1 302 Found', responseHeaders: headers({ Date: date(0), Location: entraUrl }) }, 1),
          req(
            {
              method: 'GET',
              url: entraUrl,
              requestHeaders: headers({ Host: 'login.microsoftonline.com', Referer: 'https://d-93670a1b2c.awsapps.com/' }),
              get: [['SAMLRequest', decodeURIComponent(reqValue)], ['RelayState', relay]],
              protocol: 'SAML-P',
              saml: reqXml,
              responseStatus: 200,
              responseStatusText: 'HTTP/1.1 200 OK',
              responseHeaders: headers({ Date: date(1), 'Content-Type': 'text/html' }),
            },
            2,
          ),
          req({ method: 'GET', url: 'https://aadcdn.msftauth.net/x.js', requestHeaders: headers({}), get: [], responseStatus: 200, responseStatusText: 'HTTP/1.1 200 OK', responseHeaders: headers({}) }, 3),
          req(
            {
              method: 'POST',
              url: LAB.acsUrl,
              requestHeaders: headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
              post: [['SAMLResponse', o.hashed ? 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' : toPost(respXml)], ['RelayState', relay]],
              protocol: 'SAML-P',
              saml: respXml,
              responseStatus: 302,
              responseStatusText: 'HTTP/1.1 302 Found',
              responseHeaders: headers({ Date: date(5), Location: '/start' }),
            },
            4,
          ),
        ],
        timestamp: new Date().toISOString(),
      },
      null,
      2,
    ),
  };
}

describe('SAML-tracer exports', () => {
  it.each([
    ['current (1.x)', {}],
    ['legacy (id, header pairs)', { legacy: true }],
  ])('reads a %s export: both messages, the hops, statuses and server dates', (_n, o) => {
    const { text } = tracerExport(o);
    expect(detectKind(text)).toBe('saml-tracer');
    const r = readSamlTracer(text, 'saml-tracer:t.json');
    if (!r.ok) throw new Error(r.message);
    expect(r.messages.map((m) => [m.id, m.param, m.binding, m.status])).toEqual([
      ['trace:1', 'SAMLRequest', 'redirect', 200],
      ['trace:3', 'SAMLResponse', 'post', 302],
    ]);
    expect(r.messages[0]!.relayState).toBe('https://d-93670a1b2c.awsapps.com/start');
    expect(r.messages[0]!.initiator).toBe('https://d-93670a1b2c.awsapps.com/');
    expect(r.messages[1]!.serverDate).toMatch(/GMT$/);
    expect(r.messages[1]!.redirectTo).toBe('https://eu-west-1.signin.aws.amazon.com/start');
    expect(r.steps.map((s) => [new URL(s.url).host, s.status])).toEqual([
      ['d-93670a1b2c.awsapps.com', 302],
      ['login.microsoftonline.com', 200],
      ['eu-west-1.signin.aws.amazon.com', 302],
    ]);
    const a = analyze({ messages: r.messages, steps: r.steps });
    expect(a.flows).toHaveLength(1);
    expect(a.flows[0]).toMatchObject({ type: 'sp-initiated', portal: 'd-93670a1b2c.awsapps.com' });
    expect(a.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('finds the same problem as the HAR of the same sign-in', () => {
    const { text } = tracerExport({ audience: `${LAB.spEntityId}/` });
    const imp = importText(text, 't.json');
    if (!imp.ok) throw new Error(imp.message);
    const a = analyze({ messages: imp.messages, steps: imp.steps, expectations: { spEntityId: LAB.spEntityId } });
    expect(a.findings.map((f) => f.checkId)).toContain('audience-mismatch');
  });

  it('reads the decoded XML SAML-tracer keeps when its export profile hashed the POST values', () => {
    const { text, respXml } = tracerExport({ hashed: true });
    const r = readSamlTracer(text);
    if (!r.ok) throw new Error(r.message);
    expect(r.messages[1]!.raw).toBe(respXml);
    expect(r.warnings.join(' ')).toMatch(/hashed or obfuscated/);
    expect(analyze({ messages: r.messages }).messages[1]).toMatchObject({ ok: true, kind: 'Response' });
  });

  it('refuses JSON that is not one, without throwing', () => {
    expect(readSamlTracer('{"requests": 3}')).toMatchObject({ ok: false, code: 'not-saml-tracer' });
    expect(readSamlTracer('nope')).toMatchObject({ ok: false, code: 'not-json' });
    expect(readSamlTracer('{"requests": [{"url": "https://example.com/", "method": "GET"}, null, {"url": 5}], "timestamp": "x"}')).toMatchObject({
      ok: true,
      messages: [],
      warnings: [expect.stringMatching(/2 requests have no URL/)],
    });
  });
});

describe('importText', () => {
  it('detects each kind', () => {
    expect(detectKind(labSignInHar().text)).toBe('har');
    expect(detectKind('{"format": "samlscope-evidence-bundle", "version": 1}')).toBe('bundle');
    expect(detectKind('PHNhbWw+')).toBe('message');
    expect(detectKind('{"foo": 1}')).toBe('json');
  });

  it('reads a HAR as lib/har does', () => {
    const lab = labSignInHar();
    const imp = importText(lab.text, 'sign-in.har');
    const har = readHar(lab.text, 'har:sign-in.har');
    if (!imp.ok || !har.ok) throw new Error('not read');
    expect(imp.messages).toEqual(har.messages);
    expect(imp.steps).toEqual(har.steps);
    expect(imp.kind).toBe('har');
  });

  it('says what is wrong with JSON it cannot use, and with an empty paste', () => {
    expect(importText('{"foo": 1}', 'x.json')).toMatchObject({ ok: false, message: expect.stringMatching(/not a HAR/) });
    expect(importText('{"log": ', 'x.har')).toMatchObject({ ok: false });
    expect(importText('  ', 'paste')).toMatchObject({ ok: false, message: expect.stringMatching(/empty/) });
  });

  const id = samlId();
  const reqXml = makeAuthnRequest({ id });
  const respXml = signedResponse({ inResponseTo: id });
  it.each([
    ['a Redirect URL', `${LAB.ssoUrl}?SAMLRequest=${toRedirect(reqXml)}&RelayState=abc`, 'AuthnRequest'],
    ['a query string', `SAMLRequest=${toRedirect(reqXml)}&SigAlg=x`, 'AuthnRequest'],
    ['a form body', `SAMLResponse=${encodeURIComponent(toPost(respXml))}&RelayState=abc`, 'Response'],
    ['a base64 POST value', toPost(respXml), 'Response'],
    ['a base64 value wrapped over lines', toPost(respXml).replace(/(.{76})/g, '$1\n'), 'Response'],
    ['a deflated value', decodeURIComponent(toRedirect(reqXml)), 'AuthnRequest'],
    ['the XML', respXml, 'Response'],
  ])('reads a pasted message: %s', (_n, text, kind) => {
    const imp = importText(text, 'pasted');
    if (!imp.ok) throw new Error(imp.message);
    expect(imp.kind).toBe('message');
    const a = analyze({ messages: imp.messages, singleFlow: imp.singleFlow });
    expect(a.messages[0]).toMatchObject({ ok: true, kind });
  });

  it('reads several pasted messages, separated by blank lines, as one flow', () => {
    expect(splitPasted(`${toRedirect(reqXml)}\n\n${toPost(respXml)}\n`)).toHaveLength(2);
    const imp = importText(`${toRedirect(reqXml)}\n\n${toPost(respXml)}`, 'pasted');
    if (!imp.ok) throw new Error(imp.message);
    const a = analyze({ messages: imp.messages, singleFlow: imp.singleFlow });
    expect(a.flows).toHaveLength(1);
    expect(a.flows[0]!.type).toBe('sp-initiated');
  });
});
