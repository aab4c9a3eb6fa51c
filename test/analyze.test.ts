import { describe, expect, it } from 'vitest';
import { analyze } from '../lib/analyze.ts';
import { LAB, makeAuthnRequest, samlId, signedResponse, toPost, toRedirect } from './lab/factory.ts';

describe('analyze: a clean SP-initiated sign-in', () => {
  it('pairs request and response into one flow with no errors or warnings', () => {
    const id = samlId();
    const t = new Date();
    const r = analyze({
      messages: [
        { id: 'a', raw: toRedirect(makeAuthnRequest({ id })), param: 'SAMLRequest', url: LAB.ssoUrl, method: 'GET', time: t.toISOString() },
        { id: 'b', raw: toPost(signedResponse({ inResponseTo: id })), param: 'SAMLResponse', url: LAB.acsUrl, method: 'POST', time: t.toISOString() },
      ],
    });
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]!.type).toBe('sp-initiated');
    expect(r.flows[0]!.tenantId).toBe(LAB.tenantId);
    expect(r.messages.map((m) => m.kind)).toEqual(['AuthnRequest', 'Response']);
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
