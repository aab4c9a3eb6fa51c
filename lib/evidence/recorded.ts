// Signature verdicts that travel with a redacted export (issue 14, item 6).
//
// Redaction rewrites the signed XML (a pseudonymised NameID, a masked certificate), so no
// signature in a redacted export can verify again: analysed afresh, every signed message would
// become "signature invalid". The export therefore carries, per message, the verdict the original
// bytes gave (redacted like every other value), and re-analysis uses it instead of verifying the
// rewritten bytes. Both formats samlscope reads back carry it: the JSON bundle in
// input.messages[].recordedSignature, the HAR in each entry's custom `_samlscopeSignature` field.
// A recorded verdict is the exporter's word, not a verification: re-analysis says so (note below).
import type { CapturedMessage } from '../types.ts';
import type { SignatureVerdicts } from '../signature/types.ts';
import { toRecorded } from '../signature/recorded.ts';

/**
 * The messages of a redacted export with the verdicts their original bytes gave: `redactedMessages`
 * are `originals` rewritten (same order); `redact` redacts the verdict's strings the
 * way the messages were (a masked certificate stays the same mask).
 */
export function attachRecordedSignatures(
  redactedMessages: CapturedMessage[],
  originals: readonly CapturedMessage[],
  verdicts: SignatureVerdicts | undefined,
  verifiedAt: Date,
  redact: <T>(v: T) => T,
  maskThumbprints = false,
): { messages: CapturedMessage[]; recorded: number } {
  if (!verdicts) return { messages: redactedMessages, recorded: 0 };
  let recorded = 0;
  const messages = redactedMessages.map((m, i) => {
    // A verdict recorded by an earlier export stays as it was: those bytes were rewritten already.
    if (m.recordedSignature) {
      recorded++;
      return { ...m, recordedSignature: redact(m.recordedSignature) };
    }
    // By place: redaction may have rewritten the id (a file name holding a user name).
    const v = verdicts[originals[i]?.id ?? m.id];
    if (!v || (v.signatures.length === 0 && !v.redirect)) return m;
    recorded++;
    return { ...m, recordedSignature: redact(toRecorded(v, verifiedAt, maskThumbprints)) };
  });
  return { messages, recorded };
}

/** What an export says about the verdicts it carries. */
export function recordedExportNote(recorded: number): string {
  return `Signature verdicts of ${recorded} message${recorded === 1 ? '' : 's'} are those of the original capture: redaction rewrote the signed XML, so the signatures cannot verify again; samlscope re-analyses this export with the recorded verdicts.`;
}

/** What a re-analysis says when it used recorded verdicts, or undefined when none. */
export function recordedImportNote(messages: readonly CapturedMessage[]): string | undefined {
  const n = messages.filter((m) => m.recordedSignature).length;
  if (!n) return undefined;
  return `signature verdicts of ${n} message${n === 1 ? '' : 's'} come from the original capture, recorded when it was exported (the messages were redacted, so they were not verified again here)`;
}
