import { describe, expect, it } from 'vitest';
import { readHar, looksLikeHar, type HarResult } from '../lib/har/index.ts';
import { analyze } from '../lib/analyze.ts';
import { decodeSamlValue } from '../lib/decode/index.ts';
import { LAB, makeResponse, sign, toPost } from './lab/factory.ts';
import { formEncode, har, harEntry, labSignInHar, type Browser } from './fixtures/har.ts';
import { expectUnder } from './wall-clock.ts';

function ok(r: ReturnType<typeof readHar>): HarResult {
  if (!r.ok) throw new Error(`readHar failed: ${r.code}: ${r.message}`);
  return r;
}

describe('readHar: errors', () => {
  it('refuses text that is not JSON, JSON that is not a HAR, and oversize input, without throwing', () => {
    expect(readHar('SAMLResponse=abc')).toMatchObject({ ok: false, code: 'not-json' });
    expect(readHar('{"log": {')).toMatchObject({ ok: false, code: 'not-json' });
    expect(readHar('{"foo": 1}')).toMatchObject({ ok: false, code: 'not-har' });
    expect(readHar('{"log": {"entries": 3}}')).toMatchObject({ ok: false, code: 'not-har' });
    expect(readHar('[1,2]')).toMatchObject({ ok: false, code: 'not-har' });
    expect(readHar('null')).toMatchObject({ ok: false, code: 'not-har' });
    const big = readHar(har([]), undefined, { maxChars: 10 });
    expect(big).toMatchObject({ ok: false, code: 'too-large' });
    expect(!big.ok && big.message).toMatch(/limit/);
  });

  it('ignores entries with no request, and says so', () => {
    const r = ok(readHar(har([null, { startedDateTime: 'x' }, { request: { method: 'GET' } }, 7])));
    expect(r.messages).toEqual([]);
    expect(r.steps).toEqual([]);
    expect(r.entryCount).toBe(4);
    expect(r.warnings.join(' ')).toMatch(/4 entries have no request/);
  });

  it('recognises a HAR by its start', () => {
    expect(looksLikeHar(har([]))).toBe(true);
    expect(looksLikeHar('\uFEFF{"log":{}}')).toBe(true);
    expect(looksLikeHar('PHNhbWw=')).toBe(false);
  });
});

describe.each<Browser>(['chrome', 'chrome-text-only', 'firefox'])('readHar: an SP-initiated sign-in exported by %s', (browser) => {
  const lab = labSignInHar({ browser, skewSeconds: 7 });
  const r = ok(readHar(lab.text, 'har:signin.har'));

  it('finds the redirect-binding AuthnRequest with its raw query and RelayState', () => {
    const m = r.messages[0]!;
    expect(m).toMatchObject({
      id: 'har:2',
      param: 'SAMLRequest',
      binding: 'redirect',
      method: 'GET',
      url: LAB.ssoUrl,
      status: 200,
      time: lab.times[1]!.toISOString(),
      origin: 'har:signin.har',
      relayState: lab.relayState,
      raw: lab.requestValue,
    });
    expect(m.rawQuery).toBe(`SAMLRequest=${lab.requestValue}&RelayState=${formEncode(lab.relayState)}`);
    expect(m.serverDate).toMatch(/GMT$/);
    const d = decodeSamlValue(m.raw);
    expect(d.ok && d.xml).toBe(lab.requestXml.replace(/^\s+/, ''));
  });

  it("finds the POSTed SAMLResponse, the base64 '+' intact, with status and the server's Date", () => {
    expect(lab.responseValue).toMatch(/\+/); // the case worth testing: '+' travels as %2B
    const m = r.messages[1]!;
    expect(m).toMatchObject({
      id: 'har:3',
      param: 'SAMLResponse',
      binding: 'post',
      method: 'POST',
      url: LAB.acsUrl,
      status: 302,
      raw: lab.responseValue,
      relayState: lab.relayState,
      time: lab.times[2]!.toISOString(),
    });
    expect(Date.parse(m.serverDate!) - Date.parse(m.time!)).toBeGreaterThanOrEqual(6000);
    expect(r.messages).toHaveLength(2);
    expect(r.warnings).toEqual([]);
  });

  it('keeps every hop to a sign-in host as a step, and leaves other hosts out', () => {
    expect(r.steps.map((s) => [s.method, s.url.split('?')[0], s.status, s.messageId])).toEqual([
      ['GET', LAB.portalUrl, 302, undefined],
      ['GET', LAB.ssoUrl, 200, 'har:2'],
      ['POST', LAB.acsUrl, 302, 'har:3'],
    ]);
    expect(r.steps[0]!.redirectTo).toMatch(/^https:\/\/login\.microsoftonline\.com\/.*SAMLRequest=/);
    expect(r.steps[2]!.redirectTo).toBe(`${LAB.portalUrl}/#/`);
    // The server's Date header exactly as the HAR holds it: the server clock runs 7 s ahead, in whole seconds.
    expect(r.steps[0]!.serverDate).toBe(new Date(Math.floor((lab.times[0]!.getTime() + 7000) / 1000) * 1000).toUTCString());
    expect(r.steps[0]!.time).toBe(lab.times[0]!.toISOString());
  });

  it('gives analyze one clean SP-initiated flow with the portal hop and the clock skew', () => {
    const a = analyze({ messages: r.messages, steps: r.steps });
    expect(a.flows).toHaveLength(1);
    const f = a.flows[0]!;
    expect(f).toMatchObject({ type: 'sp-initiated', tenantId: LAB.tenantId, awsTarget: new URL(LAB.acsUrl).host, portal: new URL(LAB.portalUrl).host });
    expect(f.steps.map((s) => s.url.split('?')[0])).toEqual([LAB.portalUrl, LAB.ssoUrl, LAB.acsUrl]);
    expect(f.clockSkewSeconds).toBeGreaterThanOrEqual(6);
    expect(a.findings.filter((x) => x.severity === 'error')).toEqual([]);
  });
});

describe('readHar: body shapes', () => {
  const xml = sign(makeResponse());
  const b64 = toPost(xml);
  const t = new Date('2025-03-14T09:30:00Z');
  const post = (postData: Record<string, unknown>) =>
    ok(readHar(har([{ startedDateTime: t.toISOString(), request: { method: 'POST', url: LAB.acsUrl, headers: [], postData }, response: { status: 200, headers: [{ name: 'DATE', value: t.toUTCString() }] } }])));

  it('takes params values that are already decoded as they are', () => {
    const r = post({ mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'SAMLResponse', value: b64 }, { name: 'RelayState', value: 'a b' }] });
    expect(r.messages[0]).toMatchObject({ raw: b64, relayState: 'a b', binding: 'post', serverDate: t.toUTCString() });
  });

  it("decodes percent-encoded params values ('+' is a space, %2B a plus)", () => {
    const r = post({ mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'SAMLResponse', value: formEncode(b64) }, { name: 'RelayState', value: 'a+b%26c' }] });
    expect(r.messages[0]).toMatchObject({ raw: b64, relayState: 'a b&c' });
  });

  it("puts back a '+' a sender left unescaped in a form body", () => {
    expect(b64).toMatch(/\+/);
    const r = post({ mimeType: 'application/x-www-form-urlencoded', text: `RelayState=x&SAMLResponse=${b64.replace(/\//g, '%2F').replace(/=/g, '%3D')}` });
    expect(r.messages[0]).toMatchObject({ raw: b64, relayState: 'x' });
  });

  it('reads a body with no mimeType, and a multipart body', () => {
    expect(post({ text: `SAMLResponse=${formEncode(b64)}` }).messages[0]!.raw).toBe(b64);
    const boundary = '----lab';
    const text = `--${boundary}\r\nContent-Disposition: form-data; name="SAMLResponse"\r\n\r\n${b64}\r\n--${boundary}\r\nContent-Disposition: form-data; name="RelayState"\r\n\r\nrs\r\n--${boundary}--\r\n`;
    expect(post({ mimeType: `multipart/form-data; boundary=${boundary}`, text }).messages[0]).toMatchObject({ raw: b64, relayState: 'rs' });
  });

  it('keeps a malformed escape as received (the analysis reports it) and warns', () => {
    const r = post({ mimeType: 'application/x-www-form-urlencoded', text: 'SAMLResponse=PHN%ZZhbWw' });
    expect(r.messages[0]!.raw).toBe('PHN%ZZhbWw');
    expect(r.warnings.join(' ')).toMatch(/malformed/);
    const a = analyze({ messages: r.messages });
    expect(a.findings.map((f) => f.checkId)).toContain('decode-error');
  });

  it('warns when a POST to the ACS has no body in the HAR', () => {
    const r = ok(readHar(har([{ startedDateTime: t.toISOString(), request: { method: 'POST', url: LAB.acsUrl }, response: { status: 0 } }])));
    expect(r.messages).toEqual([]);
    expect(r.steps).toEqual([{ url: LAB.acsUrl, method: 'POST', time: t.toISOString(), seq: 0 }]);
    expect(r.warnings.join(' ')).toMatch(/no body/);
  });
});

describe('readHar: redirects and order', () => {
  const t0 = new Date('2025-03-14T09:30:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  const b64 = toPost(sign(makeResponse({ issueInstant: t0 })));
  const target = `https://app.example.com/saml?SAMLResponse=${encodeURIComponent(b64)}&RelayState=r1`;

  it('takes a SAMLResponse from a Location header when the HAR lacks the request that followed', () => {
    const r = ok(readHar(har([harEntry({ url: 'https://login.microsoftonline.com/x/saml2', time: at(0), location: target })])));
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ id: 'har:0:location', param: 'SAMLResponse', binding: 'redirect', url: 'https://app.example.com/saml', relayState: 'r1', raw: encodeURIComponent(b64), method: 'GET' });
    expect(r.messages[0]!.initiator).toBe('https://login.microsoftonline.com/x/saml2');
    // The step of the 302 itself carries no message of its own.
    expect(r.steps[0]).toMatchObject({ status: 302, redirectTo: target });
    expect(r.steps[0]!.messageId).toBeUndefined();
  });

  it('does not count it twice when the followed request is in the HAR', () => {
    const r = ok(readHar(har([harEntry({ url: 'https://login.microsoftonline.com/x/saml2', time: at(0), location: target }), harEntry({ url: target, time: at(1) })])));
    expect(r.messages.map((m) => m.id)).toEqual(['har:1']);
  });

  it('sorts entries by start time, keeping the entry index in the id', () => {
    const lab = labSignInHar();
    const doc = JSON.parse(lab.text) as { log: { entries: unknown[] } };
    doc.log.entries.reverse();
    const r = ok(readHar(JSON.stringify(doc)));
    expect(r.messages.map((m) => [m.id, m.param])).toEqual([
      ['har:1', 'SAMLRequest'],
      ['har:0', 'SAMLResponse'],
    ]);
  });

  it('uses the id prefix it is given (several HAR files at once)', () => {
    const r = ok(readHar(labSignInHar().text, undefined, { idPrefix: 'har2' }));
    expect(r.messages.map((m) => m.id)).toEqual(['har2:2', 'har2:3']);
    expect(r.steps.filter((s) => s.messageId).map((s) => s.messageId)).toEqual(['har2:2', 'har2:3']);
  });
});

// Issue 14, item 1 (found by measuring every reader on runs of each character): a form value
// ending in a run of line breaks was trimmed by /[\r\n]+$/, quadratic in the run (100k line
// breaks in a HAR body took seconds); so was /[?#].*$/ on a URL of '?'s.
describe('readHar: hostile bodies read in linear time', () => {
  const body = (text: string, url = LAB.acsUrl) =>
    JSON.stringify({ log: { entries: [{ startedDateTime: '2025-03-01T10:00:00Z', request: { method: 'POST', url, headers: [], postData: { mimeType: 'application/x-www-form-urlencoded', text } }, response: { status: 200, headers: [], content: { mimeType: 'text/html', text } } }] } });
  it.each([
    ['100k line breaks before a character', `SAMLResponse=${'\n\r'.repeat(50_000)}!&RelayState=${'\r'.repeat(100_000)}x`],
    ['a value of 100k line breaks', `SAMLResponse=PHg+&RelayState=${'\n'.repeat(100_000)}`],
  ])('%s', (_n, text) => {
    const t0 = performance.now();
    const r = readHar(body(text));
    expect(r.ok).toBe(true);
    expectUnder(performance.now() - t0, 1000);
  });
  it('an Entra error page at a URL of 100k "?" before a line break', () => {
    const t0 = performance.now();
    const r = readHar(body('AADSTS50105: not assigned', `https://login.microsoftonline.com/x/saml2${'?'.repeat(100_000)}\n`));
    expect(r.ok && r.pageErrors[0]?.url).toBe('https://login.microsoftonline.com/x/saml2');
    expectUnder(performance.now() - t0, 1000);
  });
});
