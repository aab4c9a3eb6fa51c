// The test run's one clock. Messages, certificates and "now" are all derived from T0, so the suite
// passes whatever today's date is. T0 is the start of the current minute of the wall clock (of
// the process, which test:clock moves years forward and back through test/clock/shift.mjs): the
// test certificates in test/lab/keys.ts are valid from a day before it for three years, and every
// message a test makes is issued and captured at T0 plus a few seconds.
//
// Text that only a parser reads (a Timestamp line on an Entra page, a SCIM log date) may keep a
// fixed date; anything judged against a certificate or "now" must come from here.

/** The start of the current minute (whole seconds keep ISO times free of milliseconds). */
export const T0: number = Math.floor(Date.now() / 60_000) * 60_000;

/** T0 plus some seconds, as a Date. */
export const at = (seconds = 0): Date => new Date(T0 + seconds * 1000);

/** T0 plus some seconds, ISO 8601 without milliseconds, as SAML and our captures write times. */
export const isoAt = (seconds = 0): string => at(seconds).toISOString().replace(/\.000Z$/, 'Z');
