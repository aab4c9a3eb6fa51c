// A capture as the background records it, for the benches: sign-ins made by the real capture
// code (test/session-sim.ts), over three tabs, some failing.
import { SessionSim } from '../test/session-sim.ts';
import { LAB } from '../test/lab/factory.ts';
import type { CaptureState } from '../lib/capture/state.ts';

/** A session of `attempts` sign-ins over three tabs, as the background records it; the last one fails (wrong audience). */
export function sessionOf(attempts: number, sim = new SessionSim()): CaptureState {
  sim.tick = 40;
  for (let i = 0; i < attempts; i++) {
    const last = i === attempts - 1;
    if (i % 10 === 7) sim.idpAttempt(1 + (i % 3), {});
    else sim.spAttempt(1 + (i % 3), last ? { audience: `${LAB.spEntityId}/` } : i % 9 === 4 ? { nameId: 'someone.else@contoso.com' } : {});
  }
  return sim.state;
}


/** The sign-ins after those: the same simulator goes on (for captures arriving at the limit). */
export { SessionSim };
