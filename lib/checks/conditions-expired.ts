import { CM_BEARER } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { isEmptyWindow } from './conditions-not-yet-valid.ts';
import { defineCheck } from './types.ts';
import { deviceClockNote, formatDuration, iso, readSamlTime, referenceEvidence } from './util.ts';

// The three places a SAML response says until when it may be used (FACTS E3, A6.3, A7.2).
const CONDITIONS = 'Conditions NotOnOrAfter';
const SCD = 'bearer SubjectConfirmationData NotOnOrAfter';
const SESSION = 'AuthnStatement SessionNotOnOrAfter';

const FIX_EXPIRED =
  'Sign in again from the start (the AWS access portal URL, or the app tile in My Apps) instead of re-posting a saved or replayed SAMLResponse: ' +
  'Entra makes the assertion valid for 70 minutes from NotBefore, and its bearer confirmation for less (5 minutes in Microsoft\'s sample). ' +
  'If the response was fresh, a clock is wrong: sync this device\'s clock to an NTP time source (AWS names a wrong device clock as a cause of "It\'s not you, it\'s us").';

/**
 * The response answers the AuthnRequest Identity Center issued in this sign-in, yet ends before
 * that request existed: it was neither saved nor replayed, and no device clock wrote its times.
 */
const FIX_ISSUER_CLOCK =
  'The clock of whatever issued this response is wrong: it answers the AuthnRequest Identity Center issued in this sign-in, so it was not saved or replayed, yet its times end before that request was made. ' +
  'Entra sets NotOnOrAfter 70 minutes after NotBefore, and NotBefore at IssueInstant: compare the response\'s IssueInstant with the request\'s to see how far its clock is off. ' +
  'If a proxy or another identity provider (AD FS, an on-premises server) issued or rewrote the response, sync that server\'s clock to an NTP time source; if Entra issued it directly, open a case with Microsoft with this capture. Then sign in again from the start.';

const FIX_WINDOW =
  'The sender made a validity window that no moment falls in. Entra sets NotOnOrAfter 70 minutes after NotBefore; if this came from Entra, capture a fresh sign-in, and if it came from a proxy or another IdP, fix the time it writes.';

const FIX_SESSION =
  'Sign in again from the start for a fresh response. If a fresh response already carries a past SessionNotOnOrAfter, the IdP writes a wrong session end: ' +
  'Identity Center takes the shorter of its own session duration and this IdP session, so fix the session end on the IdP side (or in a proxy that rewrites the response).';

const FIX_TIME_FORMAT =
  'SAML times must be xs:dateTime in UTC, like 2025-01-31T09:15:00Z. Entra always writes them so; if something else wrote this value (a proxy, a hand-edited or re-signed response), fix that sender.';

const FIX_LOGOUT =
  'Sign out again from the start (the AWS access portal or My Apps) instead of replaying a saved LogoutRequest. ' +
  'If the request was fresh, a clock is wrong: sync this device\'s clock to an NTP time source, and check the sender\'s time.';

interface End {
  label: string;
  raw: string;
  path: string;
  date: Date;
  /** Seconds since it passed (negative: still ahead). */
  past: number;
}

export const conditionsExpired = defineCheck({
  id: 'conditions-expired',
  severity: 'error',
  title: 'The assertion has expired',
  docs:
    'An assertion is usable only before its Conditions NotOnOrAfter and, for the bearer confirmation, before SubjectConfirmationData NotOnOrAfter; after that every SP refuses it. ' +
    'Expiry almost always means a saved or replayed response, or a clock that is wrong on one side; Entra makes assertions valid for 70 minutes.',
  facts: ['A6.1', 'A6.2', 'A6.3', 'A6.4', 'A6.5', 'A7.2', 'E3'],
  appliesTo: ['Response', 'LogoutRequest'],
  messages: {
    expired:
      'The assertion expired {ago} before the reference time: {element} is {notOnOrAfter}, and {clock} says {now}. That is beyond the {tolerance} of clock tolerance allowed here (AWS does not publish its own), so Identity Center refuses it.{clockNote}',
    withinTolerance:
      '{element} {notOnOrAfter} passed {ago} before the reference time {now} ({clock}); only the {tolerance} clock tolerance saves it, and AWS does not publish how much it allows.{clockNote}',
    emptyWindow:
      '{element}: NotBefore {notBefore} is not earlier than NotOnOrAfter {notOnOrAfter}, so the validity window is empty and no moment is valid (SAML Core §2.5.1.2).',
    sessionEnded:
      'SessionNotOnOrAfter {session} was {ago} before the reference time {now} ({clock}). Identity Center ends the access-portal session at the IdP session end when this is present, so the session ends at once.{clockNote}',
    unreadable:
      '{element} is "{value}", which is not an xs:dateTime; it cannot be judged here, and an SP that cannot read it refuses the assertion.',
    logoutExpired:
      'The LogoutRequest expired {ago} before the reference time: its NotOnOrAfter is {notOnOrAfter}, and {clock} says {now}. After that time the recipient may discard it (SAML Core §3.7.1), so the session may not end.{clockNote}',
    offset:
      '{element} is {value}, with the time-zone offset {offset}; SAML times must be UTC (SAML Core §1.3.3). It was read as {utc}; an SP that ignores the offset reads it {offset} off.',
  },
  titles: {
    expired: 'The assertion has expired',
    withinTolerance: 'The assertion expired, within the clock tolerance',
    emptyWindow: 'The validity window is empty (NotBefore is not before NotOnOrAfter)',
    sessionEnded: 'The IdP session (SessionNotOnOrAfter) has ended',
    unreadable: 'A validity time cannot be read',
    logoutExpired: 'The LogoutRequest has expired',
    offset: 'A validity time is not in UTC',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response' && m.kind !== 'LogoutRequest') return;
    const tol = ctx.expect.clockSkewSeconds;
    const now = ctx.now.getTime();
    const clock = deviceClockNote(ctx);

    /** Reads one time; reports a format problem and returns the instant when there is one. */
    const read = (element: string, raw: string, path: string): Date | null => {
      const r = readSamlTime(raw);
      if (!r.date) {
        report({
          message: 'unreadable',
          severity: 'warning',
          data: { element, value: raw },
          evidence: [{ label: element, expected: 'xs:dateTime in UTC, e.g. 2025-01-31T09:15:00Z', actual: raw, path }],
          fix: FIX_TIME_FORMAT,
        });
        return null;
      }
      if (r.nonUtcOffset) {
        report({
          message: 'offset',
          severity: 'warning',
          data: { element, value: raw, offset: r.nonUtcOffset, utc: iso(r.date) },
          evidence: [{ label: element, expected: iso(r.date), actual: raw, path }],
          fix: FIX_TIME_FORMAT,
        });
      }
      return r.date;
    };

    if (m.kind === 'LogoutRequest') {
      if (m.notOnOrAfter === undefined) return;
      const path = `${m.rootPath}/@NotOnOrAfter`;
      const d = read('LogoutRequest NotOnOrAfter', m.notOnOrAfter, path);
      if (!d) return;
      const past = (now - d.getTime()) / 1000;
      if (past < tol) return;
      report({
        message: 'logoutExpired',
        data: { ago: formatDuration(past), notOnOrAfter: m.notOnOrAfter, clock: ctx.nowSource, now: iso(ctx.now), clockNote: clock.note },
        evidence: [
          {
            label: 'LogoutRequest NotOnOrAfter',
            expected: `later than ${iso(new Date(now - tol * 1000))} (reference time − ${formatDuration(tol)} tolerance)`,
            actual: m.notOnOrAfter,
            path,
          },
          referenceEvidence(ctx),
          ...clock.evidence,
        ],
        fix: FIX_LOGOUT,
      });
      return;
    }

    for (const a of m.assertions) {
      const ends: End[] = [];
      // An empty window is reported once, as emptyWindow below, not also as expired or saved by
      // the tolerance; its time is still read, so a time-zone offset behind it is reported.
      const add = (label: string, raw: string | undefined, path: string, emptyWindow: boolean) => {
        if (raw === undefined) return;
        const date = read(label, raw, path);
        if (date && !emptyWindow) ends.push({ label, raw, path, date, past: (now - date.getTime()) / 1000 });
      };
      const c = a.conditions;
      if (c) add(CONDITIONS, c.notOnOrAfter, c.path, isEmptyWindow(c.notBefore, c.notOnOrAfter));
      for (const sc of a.subjectConfirmations) {
        if (sc.method === CM_BEARER && sc.data) add(SCD, sc.data.notOnOrAfter, sc.data.path, isEmptyWindow(sc.data.notBefore, sc.data.notOnOrAfter));
      }

      const expired = ends.filter((e) => e.past >= tol);
      const grace = ends.filter((e) => e.past >= 0 && e.past < tol);
      const rows = (list: End[]): Evidence[] =>
        list.map((e) => ({
          label: e.label,
          expected: `later than ${iso(new Date(now - tol * 1000))} (reference time − ${formatDuration(tol)} tolerance)`,
          actual: e.raw,
          path: e.path,
        }));
      const worst = (list: End[]) => list.reduce((x, y) => (y.past > x.past ? y : x));
      if (expired.length) {
        const w = worst(expired);
        const issuer = issuerClockEvidence(ctx, w, tol);
        report({
          message: 'expired',
          data: {
            ago: formatDuration(w.past),
            element: w.label,
            notOnOrAfter: w.raw,
            clock: ctx.nowSource,
            now: iso(ctx.now),
            tolerance: formatDuration(tol),
            clockNote: clock.note,
          },
          evidence: [...rows(expired), referenceEvidence(ctx), ...clock.evidence, ...issuer],
          fix: issuer.length ? FIX_ISSUER_CLOCK : FIX_EXPIRED,
        });
      } else if (grace.length) {
        const w = worst(grace);
        report({
          message: 'withinTolerance',
          severity: 'warning',
          data: {
            ago: formatDuration(w.past),
            element: w.label,
            notOnOrAfter: w.raw,
            clock: ctx.nowSource,
            now: iso(ctx.now),
            tolerance: formatDuration(tol),
            clockNote: clock.note,
          },
          evidence: [...rows(grace), referenceEvidence(ctx), ...clock.evidence],
          fix: FIX_EXPIRED,
        });
      }

      // Empty windows: NotBefore must be earlier than NotOnOrAfter (Core §2.5.1.2).
      const windows: { element: string; nb?: string; noa?: string; path: string }[] = [];
      if (c) windows.push({ element: 'Conditions', nb: c.notBefore, noa: c.notOnOrAfter, path: c.path });
      for (const sc of a.subjectConfirmations) {
        if (sc.data) windows.push({ element: 'SubjectConfirmationData', nb: sc.data.notBefore, noa: sc.data.notOnOrAfter, path: sc.data.path });
      }
      for (const w of windows) {
        if (w.nb === undefined || w.noa === undefined) continue;
        const nb = readSamlTime(w.nb).date;
        const noa = readSamlTime(w.noa).date;
        if (!nb || !noa || nb.getTime() < noa.getTime()) continue;
        report({
          message: 'emptyWindow',
          data: { element: w.element, notBefore: w.nb, notOnOrAfter: w.noa },
          evidence: [
            { label: `${w.element} NotBefore`, expected: `earlier than NotOnOrAfter ${w.noa}`, actual: w.nb, path: w.path },
            { label: `${w.element} NotOnOrAfter`, expected: `later than NotBefore ${w.nb}`, actual: w.noa, path: w.path },
          ],
          fix: FIX_WINDOW,
        });
      }

      // The IdP session end (A7.2).
      for (const st of a.authnStatements) {
        if (st.sessionNotOnOrAfter === undefined) continue;
        const d = read(SESSION, st.sessionNotOnOrAfter, st.path);
        if (!d) continue;
        const past = (now - d.getTime()) / 1000;
        if (past < 0) continue;
        report({
          message: 'sessionEnded',
          severity: 'warning',
          data: { session: st.sessionNotOnOrAfter, ago: formatDuration(past), now: iso(ctx.now), clock: ctx.nowSource, clockNote: clock.note },
          evidence: [
            { label: SESSION, expected: `later than ${iso(ctx.now)} (reference time)`, actual: st.sessionNotOnOrAfter, path: st.path },
            referenceEvidence(ctx),
            ...clock.evidence,
          ],
          fix: FIX_SESSION,
        });
      }
    }
  },
});

/**
 * When the response answers this sign-in's AuthnRequest (InResponseTo) and its end is earlier than
 * that request's IssueInstant (written by Identity Center), beyond the tolerance: the issuer's
 * clock wrote it, and the two IssueInstants show by how much. Empty otherwise.
 */
function issuerClockEvidence(ctx: Parameters<typeof conditionsExpired.run>[0], end: End, tol: number): Evidence[] {
  const m = ctx.message;
  const req = ctx.request;
  if (m.kind !== 'Response' || !req?.id || m.inResponseTo !== req.id || !req.issueInstant) return [];
  const asked = readSamlTime(req.issueInstant).date;
  if (!asked || end.date.getTime() > asked.getTime() - tol * 1000) return [];
  const issued = m.issueInstant ? readSamlTime(m.issueInstant).date : null;
  const behind = issued ? (asked.getTime() - issued.getTime()) / 1000 : undefined;
  return [
    {
      label: 'AuthnRequest IssueInstant (Identity Center), answered by this response',
      expected: `before ${end.label} ${end.raw}`,
      actual: req.issueInstant,
      source: 'the AuthnRequest of this sign-in (InResponseTo)',
    },
    ...(issued && behind !== undefined && behind > 0
      ? [{ label: 'Response IssueInstant (the issuer\'s clock)', expected: `at or after ${req.issueInstant}`, actual: `${m.issueInstant} (${formatDuration(behind)} before the request it answers)` }]
      : []),
  ];
}
