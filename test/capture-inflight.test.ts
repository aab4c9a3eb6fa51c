// Answers matched to hops by requestId and URL, in the event orders Chrome and Firefox MV3 deliver.
import { describe, expect, it } from 'vitest';
import { HopTracker, PENDING_ANSWER_MS } from '../lib/capture/inflight.ts';
import { addStep, emptyState, updateRequest, stepKey, DEFAULT_RETENTION, type CaptureState } from '../lib/capture/state.ts';
import { T0 } from './clock.ts';

const PORTAL = 'https://d-93670a1b2c.awsapps.com/start?lab-scenario=sp-clean';
const ENTRA = 'https://login.microsoftonline.com/7f3c1b2a-1111-4a5b-9c8d-0123456789ab/saml2?SAMLRequest=abc';

type Ev = ['req', string] | ['headers', string, number] | ['redirect', string, number, string];

/** Feeds events through a tracker into capture state, as entrypoints/background/webrequest.ts does. */
function run(events: Ev[]): CaptureState {
  const t = new HopTracker();
  let s = emptyState();
  let now = T0;
  for (const e of events) {
    now += 10;
    if (e[0] === 'req') {
      const step = { url: e[1], method: 'GET', time: new Date(now).toISOString(), tabId: 3, chain: '77' };
      s = addStep(s, step, DEFAULT_RETENTION, new Date(now));
      for (const u of t.begin('77', e[1], { stepKey: stepKey(step) }, now)) s = updateRequest(s, { stepKey: stepKey(step) }, u);
    } else {
      const u = e[0] === 'headers' ? { status: e[2] } : { status: e[2], redirectTo: e[3] };
      const key = t.find('77', e[1]);
      if (key) s = updateRequest(s, key, u);
      else t.hold('77', e[1], u, now);
    }
  }
  return s;
}

const view = (s: CaptureState) => s.steps.map((x) => [x.url.split('?')[0], x.status, x.redirectTo?.split('?')[0]]);
const RIGHT = [
  ['https://d-93670a1b2c.awsapps.com/start', 302, 'https://login.microsoftonline.com/7f3c1b2a-1111-4a5b-9c8d-0123456789ab/saml2'],
  ['https://login.microsoftonline.com/7f3c1b2a-1111-4a5b-9c8d-0123456789ab/saml2', 200, undefined],
];

describe('HopTracker', () => {
  it("Chrome's order: request, answer, redirect, next request", () => {
    expect(view(run([['req', PORTAL], ['headers', PORTAL, 302], ['redirect', PORTAL, 302, ENTRA], ['req', ENTRA], ['headers', ENTRA, 200]]))).toEqual(RIGHT);
  });

  it("Firefox MV3 after waking the background page: the next hop's request before the first hop's answers", () => {
    // Before the fix the portal hop had no status and the Entra hop "redirected" to itself.
    expect(view(run([['req', PORTAL], ['req', ENTRA], ['headers', PORTAL, 302], ['headers', ENTRA, 200], ['redirect', PORTAL, 302, ENTRA]]))).toEqual(RIGHT);
  });

  it('an answer before its request is held and applied when the request arrives', () => {
    expect(view(run([['headers', PORTAL, 302], ['redirect', PORTAL, 302, ENTRA], ['req', PORTAL], ['headers', ENTRA, 200], ['req', ENTRA]]))).toEqual(RIGHT);
  });

  it('a held answer whose request never comes is dropped after PENDING_ANSWER_MS', () => {
    const t = new HopTracker();
    const now = T0;
    t.hold('9', PORTAL, { status: 302 }, now);
    expect(t.begin('9', PORTAL, { stepKey: 'k' }, now + PENDING_ANSWER_MS)).toEqual([{ status: 302 }]);
    t.hold('9', ENTRA, { status: 200 }, now);
    expect(t.begin('9', ENTRA, { stepKey: 'k2' }, now + PENDING_ANSWER_MS + 1)).toEqual([]);
  });

  it('the same URL twice in one chain: the answer goes to the newest hop', () => {
    const t = new HopTracker();
    const now = T0;
    t.begin('5', PORTAL, { stepKey: 'first' }, now);
    t.begin('5', PORTAL, { stepKey: 'second' }, now + 1);
    expect(t.find('5', PORTAL)).toEqual({ stepKey: 'second' });
    expect(t.find('5', ENTRA)).toBeUndefined();
    expect(t.find('6', PORTAL)).toBeUndefined();
  });
});
