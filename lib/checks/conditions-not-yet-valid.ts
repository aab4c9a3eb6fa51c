import { CM_BEARER } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { defineCheck } from './types.ts';
import { deviceClockNote, formatDuration, iso, readSamlTime, referenceEvidence } from './util.ts';

const FIX_CLOCK =
  'Entra sets NotBefore to the moment it issues the assertion, with no allowance for clock differences, so one of the clocks is off. ' +
  "If the reference time is this computer's clock, sync it to an NTP time source (AWS names a wrong device clock as a cause of \"It's not you, it's us\") and sign in again from the start. " +
  "If it is the AWS server's Date header, the clock of whatever wrote the response (Entra, or a proxy or another IdP that re-issues it) is ahead of AWS's.";

const FIX_SCD_NOT_BEFORE =
  'The SAML Web SSO profile forbids NotBefore on a bearer SubjectConfirmationData. Entra does not write one; if this came through a proxy or another IdP, remove the attribute there.';

const FIX_TIME_FORMAT =
  'SAML times must be xs:dateTime in UTC, like 2025-01-31T09:15:00Z. Entra always writes them so; if something else wrote this value (a proxy, a hand-edited or re-signed response), fix that sender.';

interface Start {
  label: string;
  raw: string;
  path: string;
  /** Seconds it lies ahead of the reference time (negative: already reached). */
  ahead: number;
}

/** NotBefore not earlier than NotOnOrAfter: no moment is valid (SAML Core §2.5.1.2). */
export function isEmptyWindow(notBefore: string | undefined, notOnOrAfter: string | undefined): boolean {
  if (notBefore === undefined || notOnOrAfter === undefined) return false;
  const nb = readSamlTime(notBefore).date;
  const noa = readSamlTime(notOnOrAfter).date;
  return !!nb && !!noa && nb.getTime() >= noa.getTime();
}

export const conditionsNotYetValid = defineCheck({
  id: 'conditions-not-yet-valid',
  severity: 'error',
  title: 'The assertion is not valid yet',
  docs:
    'An assertion may not be used before its Conditions NotBefore; an SP whose clock is behind the IdP\'s refuses it. ' +
    'Entra sets NotBefore to the issue instant with no buffer, so a clock difference of a few seconds on either side is enough to fail a fresh sign-in.',
  facts: ['A6.1', 'A6.2', 'A6.3', 'A6.5', 'E3'],
  appliesTo: ['Response'],
  messages: {
    notYetValid:
      'The assertion is not valid for another {ahead}: Conditions NotBefore is {notBefore}, and {clock} says {now}, beyond the {tolerance} of clock tolerance allowed here. This is almost always a clock that is wrong on one side: Entra sets NotBefore to the issue instant with no buffer.{clockNote}',
    withinTolerance:
      'Conditions NotBefore {notBefore} is {ahead} after the reference time {now} ({clock}); only the {tolerance} clock tolerance saves it, and AWS does not publish how much it allows. Entra sets NotBefore to the issue instant with no buffer, so the clocks disagree.{clockNote}',
    issuedInFuture:
      'The {element} IssueInstant {issueInstant} is {ahead} after the reference time {now} ({clock}), beyond the {tolerance} of clock tolerance: the clock of the sender or of this reference is wrong.{clockNote}',
    scdNotBefore:
      'The bearer SubjectConfirmationData carries NotBefore="{notBefore}"; the SAML Web SSO profile says it MUST NOT, so a strict SP may refuse the assertion.',
    unreadable:
      '{element} is "{value}", which is not an xs:dateTime; it cannot be judged here, and an SP that cannot read it refuses the message.',
    offset:
      '{element} is {value}, with the time-zone offset {offset}; SAML times must be UTC (SAML Core §1.3.3). It was read as {utc}; an SP that ignores the offset reads it {offset} off.',
  },
  titles: {
    notYetValid: 'The assertion is not valid yet',
    withinTolerance: 'The assertion is not valid yet, within the clock tolerance',
    issuedInFuture: 'The message was issued in the future',
    scdNotBefore: 'The SubjectConfirmationData carries a NotBefore it must not have',
    unreadable: 'A validity time cannot be read',
    offset: 'A validity time is not in UTC',
  },
  run(ctx, report) {
    const m = ctx.message;
    if (m.kind !== 'Response') return;
    const tol = ctx.expect.clockSkewSeconds;
    const now = ctx.now.getTime();
    const clock = deviceClockNote(ctx);

    const read = (label: string, raw: string | undefined, path: string): Start | undefined => {
      if (raw === undefined) return undefined;
      const r = readSamlTime(raw);
      if (!r.date) {
        report({
          message: 'unreadable',
          severity: 'warning',
          data: { element: label, value: raw },
          evidence: [{ label, expected: 'xs:dateTime in UTC, e.g. 2025-01-31T09:15:00Z', actual: raw, path }],
          fix: FIX_TIME_FORMAT,
        });
        return undefined;
      }
      if (r.nonUtcOffset) {
        report({
          message: 'offset',
          severity: 'warning',
          data: { element: label, value: raw, offset: r.nonUtcOffset, utc: iso(r.date) },
          evidence: [{ label, expected: iso(r.date), actual: raw, path }],
          fix: FIX_TIME_FORMAT,
        });
      }
      return { label, raw, path, ahead: (r.date.getTime() - now) / 1000 };
    };

    const notBefores: Start[] = [];
    const issued: Start[] = [];
    const resp = read('Response IssueInstant', m.issueInstant, m.rootPath);
    if (resp) issued.push(resp);
    for (const a of m.assertions) {
      const ai = read('Assertion IssueInstant', a.issueInstant, a.path);
      if (ai) issued.push(ai);
      // An empty window (NotBefore not before NotOnOrAfter) is one finding, conditions-expired's
      // emptyWindow: not also "not valid yet" or "saved by the clock tolerance" here.
      if (a.conditions && !isEmptyWindow(a.conditions.notBefore, a.conditions.notOnOrAfter)) {
        const nb = read('Conditions NotBefore', a.conditions.notBefore, a.conditions.path);
        if (nb) notBefores.push(nb);
      }
      for (const sc of a.subjectConfirmations) {
        if (sc.method !== CM_BEARER || !sc.data || sc.data.notBefore === undefined) continue;
        report({
          message: 'scdNotBefore',
          severity: 'warning',
          data: { notBefore: sc.data.notBefore },
          evidence: [{ label: 'bearer SubjectConfirmationData NotBefore', expected: '(absent)', actual: sc.data.notBefore, path: sc.data.path }],
          fix: FIX_SCD_NOT_BEFORE,
        });
      }
    }

    const row = (s: Start): Evidence => ({
      label: s.label,
      expected: `not later than ${iso(new Date(now + tol * 1000))} (reference time + ${formatDuration(tol)} tolerance)`,
      actual: s.raw,
      path: s.path,
    });
    const worst = (list: Start[]) => list.reduce((x, y) => (y.ahead > x.ahead ? y : x));
    const early = notBefores.filter((s) => s.ahead > tol);
    // Under a second ahead is within measurement error: a Date header is truncated to whole
    // seconds, while Entra writes milliseconds.
    const grace = notBefores.filter((s) => s.ahead >= 1 && s.ahead <= tol);
    const future = issued.filter((s) => s.ahead > tol);
    const common = { clock: ctx.nowSource, now: iso(ctx.now), tolerance: formatDuration(tol), clockNote: clock.note };

    if (early.length) {
      const w = worst(early);
      report({
        message: 'notYetValid',
        data: { ...common, ahead: formatDuration(w.ahead), notBefore: w.raw },
        // The issue instants in the future belong to the same story: show them here.
        evidence: [...early.map(row), ...future.map(row), referenceEvidence(ctx), ...clock.evidence],
        fix: FIX_CLOCK,
      });
      return;
    }
    if (grace.length) {
      const w = worst(grace);
      report({
        message: 'withinTolerance',
        severity: 'warning',
        data: { ...common, ahead: formatDuration(w.ahead), notBefore: w.raw },
        evidence: [...grace.map(row), referenceEvidence(ctx), ...clock.evidence],
        fix: FIX_CLOCK,
      });
    }
    if (future.length) {
      const w = worst(future);
      report({
        message: 'issuedInFuture',
        severity: 'warning',
        data: { ...common, ahead: formatDuration(w.ahead), element: w.label.replace(/ IssueInstant$/, ''), issueInstant: w.raw },
        evidence: [...future.map(row), referenceEvidence(ctx), ...clock.evidence],
        fix: FIX_CLOCK,
      });
    }
  },
});
