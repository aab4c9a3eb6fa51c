// Which captured hop a webRequest answer (onHeadersReceived, onBeforeRedirect) belongs to.
//
// A redirect chain keeps one requestId for all its hops, so the requestId alone does not say which
// hop an answer is for. Chrome delivers a hop's events in order (request, answer, next request), so
// "the latest hop of this requestId" used to be enough. Firefox MV3 does not guarantee it: when an
// event wakes the suspended background page, the events queued meanwhile are delivered grouped by
// event type, so the Entra hop's onBeforeRequest can arrive before the portal hop's
// onHeadersReceived and onBeforeRedirect. The portal hop then got no status and the Entra hop the
// portal's 302 to itself. An answer names the URL it answers (details.url), so hops are matched by
// requestId and URL; an answer that arrives before its request is held until the request comes.
// Pure (no browser API): the background owns one tracker and asks it.
import type { ResponseInfoUpdate } from './state.ts';

export interface HopKey {
  messageId?: string;
  stepKey?: string;
}

interface Hop {
  url: string;
  key: HopKey;
  at: number;
}

interface Pending {
  requestId: string;
  url: string;
  update: ResponseInfoUpdate;
  at: number;
}

/** How long a finished request's hops stay matchable (late, reordered answers), ms. */
export const HOP_TTL_MS = 60_000;
/** How long an answer waits for its request, ms. */
export const PENDING_ANSWER_MS = 10_000;
const MAX_REQUESTS = 500;
const MAX_HOPS_PER_REQUEST = 30;

export class HopTracker {
  private hops = new Map<string, Hop[]>();
  private pending: Pending[] = [];

  /**
   * A hop was captured. Returns the answers that arrived before it (to apply after the capture is
   * stored), oldest first.
   */
  begin(requestId: string, url: string, key: HopKey, now: number): ResponseInfoUpdate[] {
    this.prune(now);
    const list = this.hops.get(requestId) ?? [];
    list.push({ url, key, at: now });
    if (list.length > MAX_HOPS_PER_REQUEST) list.shift();
    this.hops.delete(requestId);
    this.hops.set(requestId, list);
    while (this.hops.size > MAX_REQUESTS) this.hops.delete(this.hops.keys().next().value as string);
    const early = this.pending.filter((p) => p.requestId === requestId && p.url === url);
    if (early.length) this.pending = this.pending.filter((p) => !early.includes(p));
    return early.map((p) => p.update);
  }

  /**
   * The hop an answer is for: the newest hop of this requestId with the answer's URL. Undefined
   * when there is none (yet): see hold().
   */
  find(requestId: string, url: string): HopKey | undefined {
    const list = this.hops.get(requestId);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.url === url) return list[i]!.key;
    return undefined;
  }

  /** Keeps an answer whose request has not been seen (yet), for PENDING_ANSWER_MS. */
  hold(requestId: string, url: string, update: ResponseInfoUpdate, now: number): void {
    this.prune(now);
    this.pending.push({ requestId, url, update, at: now });
    if (this.pending.length > MAX_REQUESTS) this.pending.shift();
  }

  private prune(now: number): void {
    // An answer whose request never came: it was seen by an earlier worker (matched by URL then).
    if (this.pending.some((p) => now - p.at > PENDING_ANSWER_MS)) this.pending = this.pending.filter((p) => now - p.at <= PENDING_ANSWER_MS);
    for (const [id, list] of this.hops) {
      if (list.every((h) => now - h.at > HOP_TTL_MS)) this.hops.delete(id);
    }
  }
}
