// Recorded multi-attempt sessions in real export formats (test/fixtures/sessions, made by
// scripts/record-sessions.ts from the lab: a HAR written by Playwright's own HAR recorder and a
// SAML-tracer export written by SAML-tracer's own export code). Each file holds the same seven
// attempts, in one tab, by Ярослава Ковальчук. Read through the CLI (node bin/samlscope.mjs analyze
// --format json) and through lib/evidence (importText, readHar, readSamlTracer) + analyze():
// one flow per attempt, in recorded order, each with its type, its top problem and only its own
// hops in recorded order.
//
// The expected verdicts are written down here from the lab scenario that produced each attempt
// (test/lab/server/scenarios.ts), not from running samlscope. What a format cannot carry changes
// them: a SAML-tracer export has no response bodies, so the errors the pages showed (AWS's error
// page, Entra's AADSTS page) are not in it; a HAR with content has them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importText } from '../lib/evidence/import.ts';
import { readSamlTracer } from '../lib/evidence/samltracer.ts';
import { readHar } from '../lib/har/index.ts';
import { analyze, type AnalysisResult } from '../lib/analyze.ts';
import { toExpectations } from '../lib/settings.ts';
import type { Finding, Flow, FlowType } from '../lib/types.ts';
import { LAB_SETTINGS } from './e2e/run-scenario.ts';
import { startUrlOf } from './e2e/session.ts';
import { RECORDED_ATTEMPTS, RECORDED_USER } from './fixtures/sessions/plan.ts';
import { CYRILLIC_USER } from './lab/server/index.ts';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, 'test/fixtures/sessions');

type Result = 'error' | 'warning' | 'ok' | 'neutral';
interface Expected {
  scenario: string;
  type: FlowType;
  /** The problems (errors and warnings) of the attempt, and the one on top ('' = none). */
  har: { result: Result; checks: string[]; top: string };
  tracer: { result: Result; checks: string[]; top: string };
  /** The NameID of its response, when Entra sent one. */
  nameId?: string;
}

const UPN = CYRILLIC_USER.upn;
/**
 * Attempt by attempt, from the lab scenarios (RECORDED_ATTEMPTS in the same order). The page errors
 * (aws-sign-in-error, entra-error) come first when the page showed them: they are what the person saw.
 */
const EXPECTED: Expected[] = [
  {
    // NameID = the mail (yaroslava.k@contoso-mail.com): the lab's AWS shows "An unexpected error has occurred".
    scenario: 'nameid-mismatch',
    type: 'sp-initiated',
    har: { result: 'error', checks: ['aws-sign-in-error', 'nameid-mismatch'], top: 'aws-sign-in-error' },
    tracer: { result: 'error', checks: ['nameid-mismatch'], top: 'nameid-mismatch' },
    nameId: CYRILLIC_USER.mail,
  },
  { scenario: 'sp-clean', type: 'sp-initiated', har: { result: 'ok', checks: [], top: '' }, tracer: { result: 'ok', checks: [], top: '' }, nameId: UPN },
  // The My Apps tile: an unsolicited response.
  { scenario: 'idp-clean', type: 'idp-initiated', har: { result: 'ok', checks: [], top: '' }, tracer: { result: 'ok', checks: [], top: '' }, nameId: UPN },
  {
    // Audience = entity ID + '/': node-saml refuses it, AWS's generic error page.
    scenario: 'audience-mismatch',
    type: 'sp-initiated',
    har: { result: 'error', checks: ['audience-mismatch', 'aws-sign-in-error'], top: 'aws-sign-in-error' },
    tracer: { result: 'error', checks: ['audience-mismatch'], top: 'audience-mismatch' },
    nameId: UPN,
  },
  {
    // Entra stops on AADSTS50105: only the AuthnRequest was sent. Without the page (SAML-tracer)
    // it is a request that got no answer: nothing to judge.
    scenario: 'entra-unassigned',
    type: 'sp-initiated',
    har: { result: 'error', checks: ['entra-error'], top: 'entra-error' },
    tracer: { result: 'neutral', checks: [], top: '' },
  },
  {
    // Signs in; the CostCenter AccessControl claim is missing (a warning: AWS does not refuse).
    scenario: 'accesscontrol-missing',
    type: 'sp-initiated',
    har: { result: 'warning', checks: ['accesscontrol-missing'], top: 'accesscontrol-missing' },
    tracer: { result: 'warning', checks: ['accesscontrol-missing'], top: 'accesscontrol-missing' },
    nameId: UPN,
  },
  // The launcher again (IdP-initiated), clean.
  { scenario: 'idp-clean', type: 'idp-initiated', har: { result: 'ok', checks: [], top: '' }, tracer: { result: 'ok', checks: [], top: '' }, nameId: UPN },
];

/** One recorded request, in file order. */
interface Entry {
  i: number;
  method: string;
  url: string;
}

const noFragment = (u: string) => u.split('#')[0]!;
const SIGN_IN_HOST = /(^|\.)(login\.microsoftonline\.com|awsapps\.com|signin\.aws\.amazon\.com|myapps\.microsoft\.com)$/;
const isHop = (u: string) => SIGN_IN_HOST.test(new URL(u).host) && !new URL(u).pathname.endsWith('/favicon.ico');

const FILES = {
  har: { file: 'session.har', entries: (doc: unknown) => (doc as { log: { entries: { request: { method: string; url: string } }[] } }).log.entries.map((e) => e.request) },
  tracer: { file: 'session.saml-tracer.json', entries: (doc: unknown) => (doc as { requests: { method: string; url: string }[] }).requests },
} as const;

/** The file's requests split into the attempts: each attempt begins at its own first URL. */
function attemptsOf(entries: Entry[]): Entry[][] {
  const out: Entry[][] = [];
  let k = -1;
  for (const e of entries) {
    const next = RECORDED_ATTEMPTS[k + 1];
    if (next && noFragment(e.url) === startUrlOf(next)) {
      k++;
      out.push([]);
    }
    if (k < 0) throw new Error(`request before the first attempt: ${e.url}`);
    out[k]!.push(e);
  }
  return out;
}

/** Errors and warnings of a flow, in samlscope's order; the top one is the first error, else the first warning. */
function problemsOf(findings: Pick<Finding, 'checkId' | 'severity' | 'flowId'>[], flowId: string) {
  const mine = findings.filter((f) => f.flowId === flowId && f.severity !== 'info');
  const top = mine.find((f) => f.severity === 'error') ?? mine.find((f) => f.severity === 'warning');
  return { checks: [...new Set(mine.map((f) => f.checkId))].sort(), top: top?.checkId ?? '', errors: mine.some((f) => f.severity === 'error'), warnings: mine.some((f) => f.severity === 'warning') };
}

/**
 * What samlscope made of the file against the attempts: problems, as readable lines (all at
 * once), for flows given in samlscope's order.
 */
function judge(kind: 'har' | 'tracer', entries: Entry[], flows: Pick<Flow, 'id' | 'type' | 'steps' | 'messageIds'>[], findings: Pick<Finding, 'checkId' | 'severity' | 'flowId'>[], responseKinds: Map<string, string>): string[] {
  const problems: string[] = [];
  const attempts = attemptsOf(entries);
  if (attempts.length !== EXPECTED.length) problems.push(`the file splits into ${attempts.length} attempts, the plan has ${EXPECTED.length}`);
  if (flows.length !== EXPECTED.length) problems.push(`${flows.length} flows for ${EXPECTED.length} attempts: ${flows.map((f) => f.type).join(', ')}`);
  const ownerOf = new Map<number, number>();
  attempts.forEach((xs, k) => xs.forEach((e) => ownerOf.set(e.i, k)));
  EXPECTED.forEach((want, k) => {
    const f = flows[k];
    const tag = `attempt ${k + 1} (${want.scenario})`;
    if (!f) return problems.push(`${tag}: no flow ${k + 1}`);
    if (f.type !== want.type) problems.push(`${tag}: flow ${k + 1} is ${f.type}, expected ${want.type}`);
    // Its steps: each one a request of this attempt, none used twice, in recorded order.
    const used = new Set<number>();
    const idx: number[] = [];
    const foreign: string[] = [];
    const same = (e: Entry, s: Flow['steps'][number]) => e.method === s.method && (noFragment(e.url) === noFragment(s.url) || e.url.split('?')[0] === s.url);
    for (const s of f.steps) {
      const hit = entries.find((e) => !used.has(e.i) && same(e, s) && ownerOf.get(e.i) === k);
      if (!hit) {
        const whose = [...new Set(entries.filter((e) => same(e, s) && ownerOf.get(e.i) !== k).map((e) => (ownerOf.get(e.i) ?? -1) + 1))];
        const u = new URL(s.url);
        foreign.push(`${s.method} ${u.host}${u.pathname}${u.search.startsWith('?lab-scenario') ? u.search : ''} (${whose.length ? `attempt ${whose.join('|')}` : 'no such request'})`);
        continue;
      }
      used.add(hit.i);
      idx.push(hit.i);
    }
    if (foreign.length) problems.push(`${tag}: its flow shows ${foreign.length} hops of other attempts: ${foreign.join(', ')}`);
    if (idx.some((x, j) => j > 0 && x < idx[j - 1]!)) problems.push(`${tag}: its steps are not in recorded order: requests ${idx.join(', ')}`);
    const missing = (attempts[k] ?? []).filter((e) => isHop(e.url) && !used.has(e.i));
    if (missing.length) problems.push(`${tag}: its flow lacks its own hops: ${missing.map((e) => `${e.method} ${e.url.slice(0, 80)}`).join(', ')}`);
    // Its verdict and top problem.
    const p = problemsOf(findings, f.id);
    const w = want[kind];
    if (JSON.stringify(p.checks) !== JSON.stringify([...w.checks].sort())) problems.push(`${tag}: problems [${p.checks.join(', ')}], expected [${[...w.checks].sort().join(', ')}]`);
    if (p.top !== w.top) problems.push(`${tag}: top problem "${p.top}", expected "${w.top}"`);
    const hasResponse = f.messageIds.some((id) => responseKinds.get(id) === 'Response');
    const result: Result = p.errors ? 'error' : p.warnings ? 'warning' : hasResponse ? 'ok' : 'neutral';
    if (result !== w.result) problems.push(`${tag}: result ${result}, expected ${w.result}`);
  });
  return problems;
}

const read = (kind: keyof typeof FILES) => {
  const text = readFileSync(join(DIR, FILES[kind].file), 'utf8');
  const entries: Entry[] = FILES[kind].entries(JSON.parse(text)).map((r, i) => ({ i, method: r.method.toUpperCase(), url: r.url }));
  return { text, entries };
};

describe('recorded multi-attempt sessions (test/fixtures/sessions)', () => {
  const work = mkdtempSync(join(tmpdir(), 'samlscope-session-files-'));
  const config = join(work, 'lab.json');
  const e = toExpectations(LAB_SETTINGS);
  writeFileSync(
    config,
    JSON.stringify({
      spEntityId: e.spEntityId,
      acsUrl: e.acsUrl,
      idpEntityId: e.idpEntityId,
      region: e.region,
      portalUrl: e.portalUrl,
      expectedAccessControlKeys: e.expectedAccessControlKeys,
      usernameSource: e.usernameSource,
    }),
  );
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the written-down expectations follow the recorded plan (same attempts, same order)', () => {
    expect(EXPECTED.map((x) => x.scenario)).toEqual(RECORDED_ATTEMPTS.map((a) => a.scenario));
    expect(RECORDED_USER).toBe(CYRILLIC_USER.upn);
    // At least six attempts, failing and clean, SP- and IdP-initiated.
    expect(EXPECTED.length).toBeGreaterThanOrEqual(6);
    expect(new Set(EXPECTED.map((x) => x.type))).toEqual(new Set(['sp-initiated', 'idp-initiated']));
    expect(new Set(EXPECTED.map((x) => x.har.result))).toEqual(new Set(['error', 'ok', 'warning']));
  });

  it('the files are what their makers wrote: Playwright\'s HAR, SAML-tracer\'s export, in recorded order', () => {
    const har = JSON.parse(read('har').text) as { log: { creator: { name: string }; entries: { startedDateTime: string }[] } };
    expect(har.log.creator.name).toBe('Playwright');
    const times = har.log.entries.map((x) => Date.parse(x.startedDateTime));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const tracer = JSON.parse(read('tracer').text) as { requests: { requestId: string; saml?: string }[]; timestamp: string };
    expect(Object.keys(tracer)).toEqual(['requests', 'timestamp']);
    // SAML-tracer keeps the decoded XML beside each SAML request: the Cyrillic names are in it as text.
    expect(tracer.requests.filter((r) => r.saml?.includes(CYRILLIC_USER.displayName)).length).toBe(EXPECTED.filter((x) => x.nameId).length);
    for (const kind of ['har', 'tracer'] as const) expect(attemptsOf(read(kind).entries)).toHaveLength(EXPECTED.length);
  });

  for (const kind of ['har', 'tracer'] as const) {
    const file = FILES[kind].file;

    it(`${file} through lib/evidence (${kind === 'har' ? 'readHar' : 'readSamlTracer'}, importText) and analyze(): one flow per attempt, each its own`, () => {
      const { text, entries } = read(kind);
      const direct = kind === 'har' ? readHar(text, `har:${file}`) : readSamlTracer(text, `saml-tracer:${file}`);
      expect(direct.ok).toBe(true);
      if (!direct.ok) return;
      // Every request, every response: an AuthnRequest per SP-initiated attempt, a response per answered one.
      const params = direct.messages.map((m) => m.param);
      expect(params.filter((p) => p === 'SAMLResponse')).toHaveLength(EXPECTED.filter((x) => x.nameId).length);
      expect(params.filter((p) => p === 'SAMLRequest')).toHaveLength(EXPECTED.filter((x) => x.type === 'sp-initiated').length);
      const imported = importText(text, file);
      expect(imported.ok).toBe(true);
      if (!imported.ok) return;
      expect(imported.kind).toBe(kind === 'har' ? 'har' : 'saml-tracer');
      expect(imported.messages.map((m) => m.id)).toEqual(direct.messages.map((m) => m.id));
      const a: AnalysisResult = analyze({
        messages: imported.messages,
        steps: imported.steps,
        ...(imported.pageErrors ? { pageErrors: imported.pageErrors } : {}),
        expectations: e,
        analysisTime: new Date(),
      });
      // The Cyrillic names came through base64 and the decoder as UTF-8.
      const responses = a.messages.filter((m) => m.kind === 'Response');
      expect(responses.map((m) => (m.xml?.includes(CYRILLIC_USER.displayName) && m.xml.includes(CYRILLIC_USER.department)) ?? false)).toEqual(responses.map(() => true));
      const kinds = new Map(a.messages.map((m) => [m.id, m.kind ?? '']));
      expect.soft(judge(kind, entries, a.flows, a.findings, kinds)).toEqual([]);
      // Each response's NameID sits in its own attempt's flow.
      const nameIds = a.flows.map((f) => responses.find((m) => f.messageIds.includes(m.id))?.summary?.nameId);
      expect.soft(nameIds).toEqual(EXPECTED.map((x) => x.nameId));
    });

    it(`${file} through the CLI (samlscope analyze --format json): one flow per attempt, each with its own verdict`, () => {
      const { entries } = read(kind);
      const r = spawnSync('node', ['bin/samlscope.mjs', 'analyze', join(DIR, file), '--format', 'json', '--config', config], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      // Exit 1: at least one attempt will be refused.
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      const out = JSON.parse(r.stdout) as { flows: Flow[]; findings: Finding[]; messages: { id: string; kind?: string }[] };
      const kinds = new Map(out.messages.map((m) => [m.id, m.kind ?? '']));
      expect.soft(judge(kind, entries, out.flows, out.findings, kinds)).toEqual([]);
    });
  }
});
