// Messages between the full view and its import worker.
import type { Expectations } from '../../lib/checks/types.ts';
import type { CertificatePins } from '../../lib/signature/types.ts';
import type { EvidenceBundle } from '../../lib/evidence/bundle.ts';
import type { ImportedSource, ImportPhase } from '../../lib/store/fullview.ts';
import type { SignInLogRecord } from '../../lib/logs/signin.ts';

export interface ImportRequest {
  name: string;
  file?: File;
  text?: string;
  /** The options page's expectations, for inputs that carry none. */
  expectations: Expectations;
  /** The certificates pinned per tenant (as the live view uses them); never updated by an import. */
  pins?: CertificatePins | undefined;
}

export type ImportReply =
  | { type: 'progress'; phase: ImportPhase; done: number; total: number }
  | { type: 'done'; source: ImportedSource; recorded?: EvidenceBundle['analysis'] | undefined }
  | { type: 'error'; message: string }
  /** The file was a sign-in log (Entra, CloudTrail): its records, to join to what is shown. */
  | { type: 'logs'; name: string; records: SignInLogRecord[]; notes: string[] };
