// The captured traffic as it is stored: its shape, an empty one, and reading back whatever storage
// held. Plain data, no analysis: the popup and the storage adapter load this alone.
import type { CapturedMessage, FlowStep, PageError } from '../types.ts';

export const CAPTURE_STATE_VERSION = 1;

export interface Notice {
  id: string;
  kind: 'evicted' | 'error' | 'info';
  text: string;
  time: string;
}

export interface CaptureState {
  version: number;
  messages: CapturedMessage[];
  steps: FlowStep[];
  /** Errors sign-in pages showed (content script), attached to flows at analysis time. */
  pageErrors: PageError[];
  paused: boolean;
  notices: Notice[];
  /**
   * The next capture sequence number: messages, hops and page errors are numbered in the order
   * they reach the background, so attempts are told apart by order, not by time.
   */
  nextSeq?: number;
}

export function emptyState(): CaptureState {
  return { version: CAPTURE_STATE_VERSION, messages: [], steps: [], pageErrors: [], paused: false, notices: [], nextSeq: 0 };
}

/** Page errors kept: a user reads a few; the newest are what matter. */
export const MAX_PAGE_ERRORS = 100;

/** Accepts whatever storage held (older version, damaged) and returns a usable state. */
export function migrateState(stored: unknown): CaptureState {
  if (!stored || typeof stored !== 'object') return emptyState();
  const s = stored as Partial<CaptureState>;
  return {
    version: CAPTURE_STATE_VERSION,
    messages: Array.isArray(s.messages) ? s.messages.filter((m) => m && typeof m.id === 'string' && typeof m.raw === 'string') : [],
    steps: Array.isArray(s.steps) ? s.steps.filter((x) => x && typeof x.url === 'string') : [],
    pageErrors: Array.isArray(s.pageErrors)
      ? s.pageErrors.filter((x) => x && typeof x.id === 'string' && typeof x.time === 'string' && (x.source === 'entra' || x.source === 'aws')).slice(-MAX_PAGE_ERRORS)
      : [],
    paused: !!s.paused,
    notices: Array.isArray(s.notices) ? s.notices.slice(-20) : [],
    ...(typeof s.nextSeq === 'number' && Number.isFinite(s.nextSeq) && s.nextSeq >= 0 ? { nextSeq: s.nextSeq } : {}),
  };
}
