// sendUntilReceived (lib/messages.ts): a command the browser delivered to nobody is sent again,
// anything else is not.
import { describe, expect, it } from 'vitest';
import { COMMAND_RETRY_WAITS_MS, sendUntilReceived } from '../lib/messages.ts';

const NOBODY = 'Could not establish connection. Receiving end does not exist.';

function sender(outcomes: (string | Error)[]) {
  const calls: number[] = [];
  const send = async () => {
    calls.push(calls.length);
    const o = outcomes.shift();
    if (o instanceof Error) throw o;
    if (o === undefined) throw new Error('no more outcomes');
    return { ok: true, answer: o };
  };
  return { send, calls };
}

describe('sendUntilReceived', () => {
  it('answers at once when the first try is received, without waiting', async () => {
    const s = sender(['first']);
    const waits: number[] = [];
    await expect(sendUntilReceived(s.send, async (ms) => void waits.push(ms))).resolves.toStrictEqual({ ok: true, answer: 'first' });
    expect(s.calls).toStrictEqual([0]);
    expect(waits).toStrictEqual([]);
  });

  it('sends again after the waits while nobody received it, and returns the answer that came', async () => {
    const s = sender([new Error(NOBODY), new Error(NOBODY), new Error(NOBODY), 'fourth']);
    const waits: number[] = [];
    await expect(sendUntilReceived(s.send, async (ms) => void waits.push(ms))).resolves.toStrictEqual({ ok: true, answer: 'fourth' });
    expect(s.calls).toStrictEqual([0, 1, 2, 3]);
    expect(waits).toStrictEqual([50, 100, 200]);
  });

  it('does not send again after any other failure (the command may have run)', async () => {
    const other = new Error('A listener indicated an asynchronous response by returning true, but the message channel closed before a response was received');
    const s = sender([other, 'never']);
    const waits: number[] = [];
    await expect(sendUntilReceived(s.send, async (ms) => void waits.push(ms))).rejects.toBe(other);
    expect(s.calls).toStrictEqual([0]);
    expect(waits).toStrictEqual([]);
  });

  it('a failure that is not an Error is passed on as it came', async () => {
    const send = () => Promise.reject('plain words');
    await expect(sendUntilReceived(send, async () => undefined)).rejects.toBe('plain words');
  });

  it('after the last wait, says that nobody received any try and what to do', async () => {
    const s = sender(COMMAND_RETRY_WAITS_MS.map(() => new Error(NOBODY)).concat([new Error(NOBODY), 'too late' as never]));
    const waits: number[] = [];
    await expect(sendUntilReceived(s.send, async (ms) => void waits.push(ms))).rejects.toThrow(
      "samlscope's background service worker did not start: 5 tries over 0.75 s were received by nobody (Could not establish connection. Receiving end does not exist.). Reload samlscope on the browser's extensions page.",
    );
    expect(s.calls).toStrictEqual([0, 1, 2, 3, 4]);
    expect(waits).toStrictEqual([50, 100, 200, 400]);
  });

  it('waits for real by default (setTimeout), with the waits given', async () => {
    const s = sender([new Error(NOBODY), 'second']);
    const t0 = performance.now();
    await expect(sendUntilReceived(s.send, undefined, [30])).resolves.toStrictEqual({ ok: true, answer: 'second' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });
});
