// Keeps the captured traffic in extension storage. The background is the single writer:
// every change goes through one queue, so two requests arriving together cannot race, and each
// capture is persisted at once, so a terminated service worker loses nothing.
import {
  addMessage,
  addNotice,
  addPageError,
  relatesToAwsSignIn,
  requestKeyByUrl,
  addStep,
  approximateSize,
  clearCaptures,
  enforceLimits,
  updateRequest,
  flowItemOf,
  type CaptureState,
  type ResponseInfoUpdate,
} from '../../lib/capture/state.ts';
import { analyze, createAnalysisMemo, memoFlowItem, type AnalysisResult } from '../../lib/analyze.ts';
import { signatureVerifier } from '../../lib/signature/verify.ts';
import { buildChecklist } from '../../lib/checklist/index.ts';
import { checklistSummary } from '../../lib/checklist/summary.ts';
import { selectBadge } from '../../lib/store/selectors.ts';
import { expectationsKey, splitView, toView } from '../../lib/store/view.ts';
import { toExpectations, toRetention, type Settings } from '../../lib/settings.ts';
import { CaptureLayout, CAPTURE_KEY_PREFIX, readStoredCaptures } from '../../lib/capture/stored.ts';
import { capturesBytes, writeCaptures, readFreshView, readLearnedKeys, readPins, readSaveError, readSettings, capturesArea, toolbarAction, viewArea, writeLearnedKeys, writePins, writeSaveError } from '../../lib/store/browser.ts';
import { learnedChanged } from '../../lib/abac/learned.ts';
import { toolbarIconPaths, toolbarState } from '../../lib/toolbar.ts';
import { checkHosts } from '../../lib/permissions.ts';
import { browserPermissionPort } from '../../lib/store/permissions.ts';
import { STORAGE_KEYS } from '../../lib/messages.ts';
import type { CapturedMessage, FlowStep, PageError } from '../../lib/types.ts';
import type { FlowItem } from '../../lib/flow/index.ts';
import { pageErrorReaderFor, sanitizeReading } from '../../lib/pages/errors.ts';
import { hostRole, urlHost } from '../../lib/flow/hosts.ts';
import { applyWitness, readWitness, replaceRecovered } from '../../lib/capture/witness.ts';
import { withoutQuery } from '../../lib/strings.ts';

const BADGE_COLOURS = { error: '#c62828', warning: '#a15c00', ok: '#2e7d32', neutral: '#546e7a' } as const;

export class CaptureService {
  private queue: Promise<unknown> = Promise.resolve();
  private state: CaptureState | undefined;
  private settings: Settings | undefined;
  private badgeTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The analysis kept between captures (issue 13): each message read and verified once, each
   * attempt checked again only when it changed. Lost with the worker; rebuilt on the next change.
   */
  private memo = createAnalysisMemo();
  /** Changes with every save; the stored analysis names the revision it is of. */
  private revision = '';
  /** The stored size of the captures of that revision (asked as they are saved). */
  private bytesOfRevision: number | undefined;
  private saves = 0;
  /** What is stored of the captures, key by key (lib/capture/stored.ts): a save writes what changed. */
  private layout = new CaptureLayout();
  /**
   * The cost of the latest changes to the captures, ms, for the bench: the worker's own work
   * (retention and planning the write) and the time until the browser confirmed the write.
   */
  readonly captureCosts: { workMs: number; writtenMs: number; fnMs: number; planMs: number; kind: string }[] = [];
  private planMs = 0;
  /** The latest analysis finished (for the badge and the tests). */
  lastAnalysis: { result: AnalysisResult; ms: number; read: number; flowsChecked: number } | undefined;

  async init(): Promise<void> {
    let fresh = false;
    await this.run(async () => {
      const { settings } = await this.load();
      // A failure recorded before a restart is cleared by the next successful save.
      this.saveFailed = !!(await readSaveError().catch(() => undefined));
      // A worker restarted (Chromium stops idle workers, often mid-sign-in): when the stored
      // analysis is of the stored captures, the badge it set stands; the worker's first moments
      // are the events of the sign-in going on, not a re-analysis of everything.
      fresh = !!(await readFreshView(settings).catch(() => undefined));
    });
    if (!fresh) this.scheduleBadge();
  }

  /** Runs a task after every earlier one; errors are recorded as notices, never lost. */
  private run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch((e) => console.error('samlscope:', e));
    return next;
  }

  private async load(): Promise<{ state: CaptureState; settings: Settings }> {
    if (!this.settings) this.settings = (await readSettings({ waitForPolicy: true })).settings;
    if (!this.state) {
      const area = capturesArea(this.settings);
      const got = await area.get(null);
      const stored = readStoredCaptures(got);
      this.state = stored.state;
      this.layout = stored.layout;
      const rev = got[STORAGE_KEYS.capturesRevision];
      if (typeof rev === 'string' && !this.revision) this.revision = rev;
    }
    return { state: this.state, settings: this.settings };
  }

  private async save(next: CaptureState): Promise<void> {
    const settings = this.settings!;
    this.state = next;
    const revision = `${Date.now().toString(36)}-${++this.saves}`;
    const { planMs } = await writeCaptures(capturesArea(settings), this.layout, next, { [STORAGE_KEYS.capturesRevision]: revision });
    this.planMs += planMs;
    this.revision = revision;
    // Asked right after the write, so that it is the size of these captures (a later write by
    // anything else then makes the stored analysis stale for the popup).
    this.bytesOfRevision = await capturesBytes(capturesArea(settings));
  }

  /**
   * Retention groups messages into attempts with what the analysis already read; a message it has
   * not read yet (the analysis runs after a burst of captures) is read once and kept here.
   */
  private readonly itemOf = (m: CapturedMessage): FlowItem => {
    const known = memoFlowItem(this.memo, m);
    if (known) return known;
    const kept = this.items.get(m.id);
    if (kept && kept.raw === m.raw) return { ...kept.item, capture: m };
    if (this.items.size > 1000) this.items.clear();
    const item = flowItemOf(m);
    this.items.set(m.id, { raw: m.raw, item });
    return item;
  };
  private readonly items = new Map<string, { raw: string; item: FlowItem }>();

  private mutate(fn: (s: CaptureState, settings: Settings) => CaptureState, kind = 'change'): Promise<void> {
    return this.run(async () => {
      const { state, settings } = await this.load();
      const t0 = performance.now();
      const next = fn(state, settings);
      const fnMs = performance.now() - t0;
      if (next !== state) {
        this.planMs = 0;
        await this.persist(next, settings);
        this.captureCosts.push({ workMs: fnMs + this.planMs, writtenMs: performance.now() - t0, fnMs, planMs: this.planMs, kind });
        if (this.captureCosts.length > 100) this.captureCosts.splice(0, this.captureCosts.length - 100);
        this.scheduleBadge();
      }
    });
  }

  private saveFailed = false;

  /**
   * Saves, and never loses a capture silently. Retention keeps the captures under the area's
   * quota, so a write should not fail; if it does (the estimate was off, another key filled the
   * area), the oldest sign-ins are removed to make room and the write is tried once more, with a
   * notice. If that fails too, the captures stay in memory and the failure is recorded apart
   * (STORAGE_KEYS.saveError), so the popup says so even after the worker restarts.
   */
  private async persist(next: CaptureState, settings: Settings): Promise<void> {
    const now = new Date();
    try {
      await this.save(next);
      if (this.saveFailed) {
        this.saveFailed = false;
        await writeSaveError(undefined);
      }
      return;
    } catch (e) {
      const why = (e as Error)?.message ?? String(e);
      const limits = toRetention(settings);
      const room = enforceLimits(next, { ...limits, maxBytes: Math.floor(Math.min(limits.maxBytes, approximateSize(next)) / 2) }, now);
      const retry = addNotice(room, 'error', `The browser refused to save the captures (${why}): samlscope removed the oldest sign-ins to make room. Export what you need to keep.`, now);
      try {
        await this.save(retry);
        this.saveFailed = false;
        await writeSaveError(undefined);
        return;
      } catch (e2) {
        const text = `Could not save captures: ${(e2 as Error)?.message ?? e2}. The latest sign-ins are kept only until the browser stops samlscope's background worker: export them now from the full view.`;
        this.state = addNotice(next, 'error', text, now);
        this.saveFailed = true;
        await writeSaveError({ time: now.toISOString(), text });
      }
    }
  }

  async isPaused(): Promise<boolean> {
    const { state } = await this.run(() => this.load());
    return state.paused;
  }

  addMessage(m: CapturedMessage): Promise<void> {
    // A copy the page witnessed first (its form, read before it was posted) gives way to this one.
    return this.mutate((s, settings) => (s.paused ? s : (replaceRecovered(s, m) ?? addMessage(s, m, toRetention(settings), new Date(), this.itemOf))), 'message');
  }

  /**
   * What a sign-in page saw of its own load, from the content script: fills in what webRequest
   * missed while the worker was stopped (lib/capture/witness.ts).
   */
  async witness(reading: unknown, from: { tabId: number; frameId?: number; url: string }): Promise<void> {
    const w = readWitness(reading);
    if (!w) throw new Error('not a page witness samlscope reads');
    // The page speaks for itself only: its own origin, and a form posting to a sign-in host.
    if (urlHost(w.url) !== urlHost(from.url)) throw new Error('a page can only witness its own load');
    if (w.form && hostRole(urlHost(w.form.action)) === 'other') delete w.form;
    await this.mutate((s, settings) => (s.paused ? s : applyWitness(s, w, from, toRetention(settings), new Date())), 'witness');
  }

  addStep(st: FlowStep): Promise<void> {
    return this.mutate((s, settings) => (s.paused ? s : addStep(s, st, toRetention(settings), new Date(), this.itemOf)), 'step');
  }

  /**
   * An error a sign-in page showed, from the content script. Refused (with a reason) unless it
   * is well formed and comes from a page whose host shows that kind of error.
   */
  async addPageError(reading: unknown, from: { url: string; tabId: number; frameId?: number }): Promise<void> {
    const r = sanitizeReading(reading);
    if (!r) throw new Error('not a page error samlscope reads');
    const host = urlHost(from.url) ?? '';
    const reader = pageErrorReaderFor(host);
    if (!reader || (r.source === 'entra') !== (hostRole(host) === 'entra')) {
      throw new Error(`a ${r.source} error cannot come from ${host}`);
    }
    const now = new Date();
    const e: PageError = {
      ...r,
      id: `page-${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`,
      url: withoutQuery(from.url),
      time: now.toISOString(),
      tabId: from.tabId,
      seenBy: 'page',
      ...(from.frameId !== undefined ? { frameId: from.frameId } : {}),
    };
    let related = true;
    await this.mutate((s) => {
      related = relatesToAwsSignIn(s, e);
      return related && !s.paused ? addPageError(s, e) : s;
    });
    if (!related) throw new Error('this sign-in error is not part of a sign-in to AWS: not kept');
  }

  /** An answer whose request this worker did not see (it was started in between): matched by URL. */
  updateOrphanRequest(r: { url: string; method: string; tabId?: number }, u: ResponseInfoUpdate): Promise<void> {
    return this.mutate((s) => {
      const key = requestKeyByUrl(s, r, new Date());
      return key ? updateRequest(s, key, u) : s;
    });
  }

  updateRequest(key: { messageId?: string; stepKey?: string }, u: ResponseInfoUpdate): Promise<void> {
    return this.mutate((s) => updateRequest(s, key, u), 'status');
  }

  setPaused(paused: boolean): Promise<void> {
    return this.mutate((s) => (s.paused === paused ? s : { ...s, paused }));
  }

  clear(): Promise<void> {
    return this.mutate((s) => clearCaptures(s));
  }

  /** Settings changed: re-read them, move captures to the chosen storage area, re-apply limits. */
  settingsChanged(): Promise<void> {
    return this.run(async () => {
      const { state } = await this.load();
      const before = this.settings!;
      const { settings } = await readSettings({ waitForPolicy: true });
      this.settings = settings;
      if (before.persistAcrossRestarts !== settings.persistAcrossRestarts) {
        await capturesArea(before).remove([...this.layout.keys(), STORAGE_KEYS.capturesRevision]);
        await viewArea(before).remove([STORAGE_KEYS.analysisView, STORAGE_KEYS.analysisViewEarlier]);
        // The other area: written whole, replacing whatever captures it held.
        const there = Object.keys(await capturesArea(settings).get(null)).filter((k) => k.startsWith(CAPTURE_KEY_PREFIX));
        this.layout = new CaptureLayout({ strays: there });
      }
      await this.save(state);
      this.scheduleBadge();
    });
  }

  /** Host permissions were granted or removed: the badge says when some are missing. */
  hostAccessChanged(): void {
    this.scheduleBadge();
  }

  private scheduleBadge(): void {
    if (this.badgeTimer) clearTimeout(this.badgeTimer);
    // Coalesces a burst of captures (a redirect chain, a page posting many forms): the analysis
    // is incremental, but storing it is a write the captures' own writes should not wait behind.
    this.badgeTimer = setTimeout(() => void this.updateAnalysis(), 150);
  }

  private analysing: Promise<void> = Promise.resolve();

  /** Analyses the captures (incrementally), stores the result beside them for the views, sets the badge. */
  private updateAnalysis(): Promise<void> {
    this.analysing = this.analysing.then(() => this.analyseOnce()).catch((e) => console.error('samlscope: analysis', e));
    return this.analysing;
  }

  private async analyseOnce(): Promise<void> {
    const { state, settings } = await this.run(() => this.load());
    const revision = this.revision;
    const t0 = performance.now();
    // AccessControl keys learned from earlier accepted sign-ins (lib/abac/learned.ts), as the pages do.
    const learned = await readLearnedKeys().catch(() => undefined);
    const expectations = { ...toExpectations(settings), ...(learned ? { learnedAccessControlKeys: learned } : {}) };
    const input = { messages: state.messages, steps: state.steps, pageErrors: state.pageErrors ?? [], expectations, analysisTime: new Date() };
    let result: AnalysisResult;
    let signatures: 'verified' | 'failed' = 'verified';
    let signatureError: string | undefined;
    try {
      const pins = await readPins().catch(() => ({}));
      const r = await analyze(input, { verifier: signatureVerifier, pins, memo: this.memo });
      if (r.newPins.length && r.pins) await writePins(r.pins).catch((e) => console.error('samlscope: pins', e));
      if (learnedChanged(learned, r.learnedAccessControlKeys)) await writeLearnedKeys(r.learnedAccessControlKeys!).catch((e) => console.error('samlscope: learned keys', e));
      result = { messages: r.messages, flows: r.flows, findings: r.findings };
    } catch (e) {
      // Without the verifier the analysis still stands (the signature checks stay silent).
      signatures = 'failed';
      signatureError = (e as Error)?.message ?? String(e);
      this.memo = createAnalysisMemo();
      result = analyze(input, { memo: this.memo });
    }
    const ms = performance.now() - t0;
    this.lastAnalysis = { result, ms, read: this.memo.last.read, flowsChecked: this.memo.last.flowsChecked };
    // Stored only when it is of the captures as saved (a capture that came meanwhile is analysed next).
    if (revision && revision === this.revision) {
      const computedAt = new Date();
      let checklist: string | undefined;
      try {
        checklist = checklistSummary(buildChecklist({ analysis: result, expectations, now: computedAt }));
      } catch (e) {
        console.error('samlscope: checklist', e);
      }
      const view = toView(result, state, {
        revision,
        capturesBytes: revision === this.revision ? this.bytesOfRevision : undefined,
        // Of the settings' expectations, as the pages check it (readFreshView): the learned keys
        // are the background's own, written by it with this analysis. With them in the key, no
        // view was ever fresh and every page analysed all captures itself.
        expectationsKey: expectationsKey(toExpectations(settings)),
        computedAt,
        signatures,
        ...(signatureError ? { signatureError } : {}),
        ...(checklist ? { checklistSummary: checklist } : {}),
      });
      // In two parts (splitView): the popup reads the first for its first paint, the second after it.
      const { head, earlier } = splitView(view);
      await viewArea(settings)
        .set({ [STORAGE_KEYS.analysisView]: head, [STORAGE_KEYS.analysisViewEarlier]: earlier })
        .catch((e) => console.error('samlscope: could not store the analysis (the popup analyses the captures itself)', e));
    }
    await this.setBadge(state.paused, result);
  }

  private async setBadge(paused: boolean, analysis: AnalysisResult): Promise<void> {
    try {
      const badge = selectBadge(analysis);
      // Host access taken away (site access, Firefox's permissions): captures are incomplete; the
      // popup names the hosts and asks again.
      const missing = await checkHosts(browserPermissionPort()).catch(() => undefined);
      const text = paused ? '⏸' : missing && (badge.text === '' || badge.text === 'ok') ? '!' : badge.text;
      await toolbarAction().setBadgeText({ text });
      await toolbarAction().setBadgeBackgroundColor({ color: BADGE_COLOURS[paused ? 'neutral' : badge.tone] });
      await toolbarAction().setIcon({ path: toolbarIconPaths(toolbarState(paused, badge.tone)) });
      const title = paused ? 'samlscope: capture paused' : badge.tone === 'error' ? `samlscope: ${badge.text} error(s) in the latest sign-in` : 'samlscope';
      await toolbarAction().setTitle({
        title: missing ? `${title} · cannot read ${missing.origins.length} sign-in host(s): open the popup to allow them` : title,
      });
    } catch (e) {
      console.error('samlscope: badge', e);
    }
  }
}
