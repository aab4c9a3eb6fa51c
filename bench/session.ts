// A capture as the background records it, for the benches: sign-ins made by the real capture
// code (test/session-sim.ts), over three tabs, some failing.
import { SessionSim } from '../test/session-sim.ts';
import { LAB } from '../test/lab/factory.ts';
import type { CaptureState } from '../lib/capture/state.ts';

/**
 * A session of `attempts` sign-ins over three tabs, as the background records it; the last one
 * fails (wrong audience). The sign-ins are spread over the `spanHours` before the run's clock
 * (test/clock.ts T0), the last one a few minutes before it, so that sign-ins made after seeding
 * (the browser bench's retries through the lab) are the newest, as they would be for a user.
 * (Under a day: the lab's signing certificate is valid from a day before T0.)
 */
export function sessionOf(attempts: number, sim = new SessionSim(), spanHours = 20): CaptureState {
  const span = spanHours * 3_600_000;
  const gap = Math.floor(span / Math.max(1, attempts));
  sim.tick = 40;
  for (let i = 0; i < attempts; i++) {
    sim.clock = -span + i * gap;
    const last = i === attempts - 1;
    if (i % 10 === 7) sim.idpAttempt(1 + (i % 3), {});
    else sim.spAttempt(1 + (i % 3), last ? { audience: `${LAB.spEntityId}/` } : i % 9 === 4 ? { nameId: 'someone.else@contoso.com' } : {});
  }
  return sim.state;
}

/** The sign-ins after those: the same simulator goes on (for captures arriving at the limit). */
export { SessionSim };
