// The lab's Entra error pages over plain HTTPS (no browser): status, headers, the inline $Config,
// what the lab records (flow.entraError, /__lab/entra-errors), and the Entra-side checks of each
// entra-* scenario. The browser view of the same pages is in test/e2e/lab.test.ts.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB, makeAuthnRequest, toRedirect } from '../factory.ts';
import { SCENARIOS, appIdFor, launcherUrl, startLab, type Lab, type LabEntraError, type LabFlow } from './index.ts';

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let lab: Lab;

/** GET an https URL of the lab under its real host name (Host header, TLS name unchecked). */
function get(url: string, method = 'GET'): Promise<Got> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: lab.port, method, path: u.pathname + u.search, headers: { host: u.host }, servername: u.hostname, rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Follows redirects until a page (the lab's 302s only). */
async function follow(url: string, max = 6): Promise<Got & { url: string; hops: string[] }> {
  const hops = [url];
  for (let i = 0; i < max; i++) {
    const r = await get(url);
    if (r.status !== 302) return { ...r, url, hops };
    url = new URL(String(r.headers.location), url).href;
    hops.push(url);
  }
  throw new Error(`too many redirects from ${hops[0]}`);
}

/** The inline $Config of an Entra page, parsed. */
function config(body: string): Record<string, unknown> {
  const m = /\/\/<!\[CDATA\[\n\$Config=(\{.*\});\n\/\/\]\]>/.exec(body);
  expect(m, 'an inline $Config').not.toBeNull();
  return JSON.parse(m![1]!) as Record<string, unknown>;
}

const lastFlow = (scenario: string): LabFlow => [...lab.flows].reverse().find((f) => f.scenario === scenario)!;

describe('the lab Entra error pages', () => {
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab?.close();
  });

  for (const [name, code] of [
    ['entra-unassigned', 'AADSTS50105'],
    ['entra-reply-url', 'AADSTS50011'],
    ['entra-identifier', 'AADSTS700016'],
    ['entra-no-request', 'AADSTS750054'],
  ] as const) {
    it(`${name}: 200 with ${code}, $Config and the recorded ids`, async () => {
      const r = await follow(SCENARIOS[name].startUrl);
      expect(new URL(r.url).host).toBe('login.microsoftonline.com');
      expect(r.status).toBe(200);
      const flow = lastFlow(name);
      const rec = flow.entraError!;
      expect(rec).toMatchObject({ code, status: 200, scenario: name, url: r.url });
      expect(r.headers['x-ms-request-id']).toBe(rec.requestId);
      expect(r.headers['date']).toBeTruthy();
      expect(config(r.body)).toMatchObject({
        pgid: 'ConvergedError',
        iErrorCode: Number(code.slice(6)),
        sErrorCode: code.slice(6),
        strServiceExceptionMessage: `${code}: ${rec.message}`,
        correlationId: rec.correlationId,
        sessionId: rec.requestId,
        strTimestamp: rec.timestamp,
        sFT: rec.secrets.flowToken,
      });
      expect(r.body).toContain(`<!-- lab-entra-error: ${code}; request-id=${rec.requestId}; correlation-id=${rec.correlationId}; timestamp=${rec.timestamp} -->`);
      expect(r.body).toContain(`<input type="hidden" name="flowToken" value="${rec.secrets.flowToken}">`);
      expect(r.body).toContain(`<input type="password" name="passwd" id="i0118" autocomplete="off" value="${rec.secrets.passwd}">`);
      expect(flow.responseXml).toBeUndefined();
      const listed = JSON.parse((await get(`https://lab.invalid/__lab/entra-errors?scenario=${name}`)).body) as LabEntraError[];
      expect(listed.at(-1)).toEqual(rec);
    });
  }

  it('every page gets its own Request Id and Correlation Id', async () => {
    await follow(SCENARIOS['entra-unassigned'].startUrl);
    await follow(SCENARIOS['entra-unassigned'].startUrl);
    const recs = lab.entraErrors.filter((e) => e.scenario === 'entra-unassigned');
    const ids = recs.flatMap((e) => [e.requestId, e.correlationId]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('two entra-no-request flows at once each get their own record', async () => {
    const before = lab.flows.length;
    const [a, b] = await Promise.all([follow(SCENARIOS['entra-no-request'].startUrl), follow(SCENARIOS['entra-no-request'].startUrl)]);
    const recs = lab.flows.slice(before).map((f) => f.entraError?.requestId);
    expect(recs.sort()).toEqual([a.headers['x-ms-request-id'], b.headers['x-ms-request-id']].sort());
    expect(a.hops).toEqual([SCENARIOS['entra-no-request'].startUrl, LAB.ssoUrl]);
  });

  it('a bare GET of the SAML endpoint outside a flow: 400 AADSTS750054, recorded without a scenario', async () => {
    const r = await get(LAB.ssoUrl);
    expect(r.status).toBe(400);
    const rec = lab.entraErrors.at(-1)!;
    expect(rec).toMatchObject({ code: 'AADSTS750054', status: 400 });
    expect(rec.scenario).toBeUndefined();
    expect(config(r.body).correlationId).toBe(rec.correlationId);
  });

  it('a message with markup stays data in $Config (no script break-out)', async () => {
    const evil = `</script><b id="x">&`;
    const r = await get(`${launcherUrl(appIdFor('sp-clean')).split('?')[0]}?tenantId=${encodeURIComponent(evil)}`);
    expect(r.status).toBe(400);
    expect(r.body).not.toContain(evil);
    expect(config(r.body).strServiceExceptionMessage).toBe(`AADSTS90002: Tenant '${evil}' not found.`);
  });

  it('entra-identifier started IdP-initiated: Entra answers, with the wrong Identifier as the Audience', async () => {
    const r = await follow(SCENARIOS['entra-identifier'].idpStartUrl);
    expect(r.status).toBe(200);
    const flow = lastFlow('entra-identifier');
    expect(flow.initiation).toBe('idp');
    expect(flow.responseXml).toContain(`<Audience>${SCENARIOS['entra-identifier'].app!.identifier}</Audience>`);
  });

  it('a crafted AuthnRequest follows the default scenario, and 200 when it is that scenario\'s Entra error', async () => {
    const ar = `${LAB.ssoUrl}?SAMLRequest=${toRedirect(makeAuthnRequest())}`;
    const ok = await get(ar);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('name="SAMLResponse"');
    lab.setScenario('entra-reply-url');
    try {
      const bad = await get(`${LAB.ssoUrl}?SAMLRequest=${toRedirect(makeAuthnRequest())}`);
      expect(bad.status).toBe(200);
      expect(lastFlow('entra-reply-url').entraError?.code).toBe('AADSTS50011');
    } finally {
      lab.setScenario('sp-clean');
    }
  });

  it('the existing scenarios still reach the ACS', async () => {
    for (const name of ['sp-clean', 'idp-clean', 'myapps-wrong-portal'] as const) {
      const r = await follow(SCENARIOS[name].startUrl);
      expect(r.status, name).toBe(200);
      expect(r.body, name).toContain('name="SAMLResponse"');
      expect(lastFlow(name).entraError, name).toBeUndefined();
    }
  });
});
