// The evidence bundle: versioned schema, documented field by field, lossless re-import; and the
// HAR 1.2 export, which lib/har reads back to the same sign-in.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, type AnalysisResult } from '../../lib/analyze.ts';
import { readBundle, validateBundle, BUNDLE_VERSION, type EvidenceBundle } from '../../lib/evidence/bundle.ts';
import { exportEvidence, type ExportRequest } from '../../lib/evidence/export.ts';
import { bundleDifferences, bundleMissingFindings, importText } from '../../lib/evidence/import.ts';
import { readHar } from '../../lib/har/index.ts';
import { labSignInHar } from '../fixtures/har.ts';
import { labCapture } from './fixtures.ts';

const DOCS = readFileSync(new URL('../../docs/evidence-bundle.md', import.meta.url), 'utf8');

function request(over: Partial<ExportRequest> = {}): ExportRequest {
  const cap = labCapture();
  return {
    format: 'json',
    redaction: { mode: 'none' },
    input: { messages: cap.messages, steps: cap.steps, expectations: cap.expectations, analysisTime: new Date('2026-01-02T03:04:05Z') },
    source: { kind: 'live', names: [] },
    version: '9.9.9',
    exportedAt: new Date('2026-01-02T03:05:00Z'),
    ...over,
  };
}

const findingKeys = (a: Pick<AnalysisResult, 'findings'>) => a.findings.map((f) => `${f.checkId}:${f.severity}:${f.messageId}`);

describe('the evidence bundle', () => {
  it('re-imports losslessly: the same input, and the same analysis', () => {
    const req = request();
    const original = analyze({ ...req.input });
    const out = exportEvidence(req);
    const read = readBundle(out.text);
    if (!read.ok) throw new Error(read.message);
    const b = read.bundle;
    expect(b.format).toBe('samlscope-evidence-bundle');
    expect(b.version).toBe(BUNDLE_VERSION);
    expect(b.input.messages).toEqual(req.input.messages);
    expect(b.input.steps).toEqual(req.input.steps);
    expect(b.input.expectations).toEqual(req.input.expectations);
    expect(b.analysis.findings).toEqual(JSON.parse(JSON.stringify(original.findings)));
    expect(b.analysis.flows).toEqual(JSON.parse(JSON.stringify(original.flows)));
    // Imported: the same analysis runs and finds exactly the same.
    const imp = importText(out.text, 'bundle.json');
    if (!imp.ok) throw new Error(imp.message);
    expect(imp.kind).toBe('bundle');
    const again = analyze({ messages: imp.messages, steps: imp.steps, expectations: imp.expectations!, analysisTime: imp.analysisTime!, singleFlow: imp.singleFlow });
    expect(JSON.parse(JSON.stringify(again.findings))).toEqual(b.analysis.findings);
    expect(bundleDifferences(b.analysis, again)).toEqual({ missing: [], added: [] });
    expect(bundleMissingFindings(b.analysis, again)).toEqual([]);
    expect(bundleMissingFindings(b.analysis, { ...again, findings: again.findings.slice(1) }).map((f) => f.checkId)).toEqual([again.findings[0]!.checkId]);
    expect(findingKeys(original)).toContain('nameid-mismatch:error:r2-resp');
  });

  it('pseudonymised, still re-imports to the same findings', () => {
    const out = exportEvidence(request({ redaction: { mode: 'pseudonymise', tenant: true } }));
    const imp = importText(out.text, 'b.json');
    if (!imp.ok) throw new Error(imp.message);
    const again = analyze({ messages: imp.messages, steps: imp.steps, expectations: imp.expectations!, analysisTime: imp.analysisTime! });
    expect(findingKeys(again)).toEqual(findingKeys(imp.bundle!.analysis));
    expect(JSON.parse(JSON.stringify(again.findings))).toEqual(imp.bundle!.analysis.findings);
    expect(imp.notes.join(' ')).toMatch(/pseudonymised/);
    expect(imp.redacted).toBe(true);
    expect(importText(exportEvidence(request()).text, 'b.json')).toMatchObject({ redacted: false });
    // A redacted HAR says so too (its signatures cannot verify).
    expect(importText(exportEvidence(request({ format: 'har', redaction: { mode: 'remove' } })).text, 'x.har')).toMatchObject({ kind: 'har', redacted: true });
    expect(importText(exportEvidence(request({ format: 'har' })).text, 'x.har')).toMatchObject({ kind: 'har', redacted: false });
  });

  it('exports one flow on its own', () => {
    const cap = labCapture();
    const other = labCapture();
    const req = request();
    req.input.messages = [...cap.messages, ...other.messages.map((m) => ({ ...m, id: `o-${m.id}`, tabId: 9 }))];
    const all = analyze(req.input);
    expect(all.flows).toHaveLength(2);
    const out = exportEvidence({ ...req, analysis: all, flowId: all.flows[1]!.id });
    const b = JSON.parse(out.text) as EvidenceBundle;
    expect(b.input.messages.map((m) => m.id)).toEqual(['o-r1-req', 'o-r2-resp']);
    expect(b.analysis.flows.map((f) => f.id)).toEqual([all.flows[1]!.id]);
    expect(() => exportEvidence({ ...req, flowId: 'flow:nope' })).toThrow(/no flow/);
  });

  it('refuses what is not a bundle, a newer version and damaged fields, naming the field', () => {
    const good = JSON.parse(exportEvidence(request()).text) as Record<string, unknown>;
    expect(readBundle('nope')).toMatchObject({ ok: false, code: 'not-json' });
    expect(validateBundle({ log: {} })).toMatchObject({ ok: false, code: 'not-bundle' });
    expect(validateBundle({ ...good, version: 2 })).toMatchObject({ ok: false, code: 'newer-version', message: expect.stringMatching(/version 2/) });
    const bad = structuredClone(good) as { input: { messages: { raw: unknown; id: string }[] } };
    bad.input.messages[1]!.raw = 42;
    expect(validateBundle(bad)).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('input.messages[1].raw') });
    const dup = structuredClone(good) as { input: { messages: { id: string }[] } };
    dup.input.messages[1]!.id = dup.input.messages[0]!.id;
    expect(validateBundle(dup)).toMatchObject({ ok: false, message: expect.stringMatching(/repeated/) });
    const sev = structuredClone(good) as { analysis: { findings: { severity: string }[] } };
    sev.analysis.findings[0]!.severity = 'fatal';
    expect(validateBundle(sev)).toMatchObject({ ok: false, message: expect.stringContaining('analysis.findings[0].severity') });
    // Unknown fields are ignored (a later minor addition stays readable).
    expect(validateBundle({ ...good, somethingNew: 1 })).toMatchObject({ ok: true });
  });

  it('documents every field it writes (docs/evidence-bundle.md)', () => {
    const b = JSON.parse(exportEvidence(request({ redaction: { mode: 'pseudonymise' } })).text) as Record<string, Record<string, unknown>>;
    const keys = new Set<string>();
    for (const [k, v] of Object.entries(b)) {
      keys.add(k);
      if (v && typeof v === 'object' && !Array.isArray(v)) for (const k2 of Object.keys(v)) keys.add(`${k}.${k2}`);
    }
    for (const m of b.input!.messages as Record<string, unknown>[]) for (const k of Object.keys(m)) keys.add(`input.messages[].${k}`);
    for (const m of b.analysis!.messages as Record<string, unknown>[]) for (const k of Object.keys(m)) keys.add(`analysis.messages[].${k}`);
    const missing = [...keys].filter((k) => !DOCS.includes(`\`${k.split('.').pop()!.replace('[]', '')}\``));
    expect(missing).toEqual([]);
    expect(DOCS).toContain(`"version": ${BUNDLE_VERSION}`);
  });
});

describe('the HAR export', () => {
  it('is HAR 1.2 that lib/har reads back to the same messages, steps and findings', () => {
    const req = request({ format: 'har' });
    const original = analyze(req.input);
    const out = exportEvidence(req);
    const har = JSON.parse(out.text) as { log: { version: string; creator: { name: string }; entries: Record<string, unknown>[] } };
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator.name).toBe('samlscope');
    for (const e of har.log.entries) {
      expect(e).toMatchObject({ startedDateTime: expect.any(String), time: expect.any(Number), cache: {}, timings: expect.any(Object) });
      expect(e.request).toMatchObject({ method: expect.any(String), url: expect.any(String), httpVersion: expect.any(String), headers: expect.any(Array), queryString: expect.any(Array), cookies: [], headersSize: -1 });
      expect(e.response).toMatchObject({ status: expect.any(Number), headers: expect.any(Array), content: { size: 0, mimeType: expect.any(String) }, redirectURL: expect.any(String) });
    }
    const back = readHar(out.text, 'har:x.har');
    if (!back.ok) throw new Error(back.message);
    // Ids, origins and frames are the capture's own; the order of capture is the entries' order
    // (these messages were made without one).
    const strip = (m: object) => {
      const { id: _id, origin: _o, frameId: _f, redirectTo: _r, seq: _s, ...rest } = m as Record<string, unknown>;
      return rest;
    };
    expect(back.messages.map(strip)).toEqual(req.input.messages.map(strip));
    const again = analyze({ messages: back.messages, steps: back.steps, expectations: req.input.expectations, analysisTime: req.input.analysisTime });
    const k = (a: AnalysisResult) => a.findings.map((f) => `${f.checkId}:${f.severity}:${f.messageKey}`);
    expect(k(again)).toEqual(k(original));
    expect(again.flows.map((f) => [f.type, f.portal, f.awsTarget, f.steps.length])).toEqual(original.flows.map((f) => [f.type, f.portal, f.awsTarget, f.steps.length]));
  });

  it('round-trips a browser HAR: read, exported, read again', () => {
    const lab = labSignInHar({ browser: 'firefox', skewSeconds: 4 });
    const first = readHar(lab.text);
    if (!first.ok) throw new Error(first.message);
    const out = exportEvidence({ ...request({ format: 'har' }), input: { messages: first.messages, steps: first.steps, expectations: {}, analysisTime: new Date() } });
    const second = readHar(out.text);
    if (!second.ok) throw new Error(second.message);
    const strip = (m: object) => {
      const { id: _id, origin: _o, ...rest } = m as Record<string, unknown>;
      return rest;
    };
    expect(second.messages.map(strip)).toEqual(first.messages.map(strip));
    expect(second.steps.map(({ messageId: _m, ...s }) => s)).toEqual(first.steps.map(({ messageId: _m, ...s }) => s));
  });
});
