// Evidence for tickets: the bundle format, redaction, Markdown / JSON / HAR export and import.
// Pure: the full view, its import worker and `samlscope export` all use it.
export { exportEvidence, scopeToFlow, EXPORT_FORMATS, type EvidenceInput, type ExportFormat, type ExportRequest, type ExportResult } from './export.ts';
export { importText, detectKind, splitPasted, bundleDifferences, type ImportedInput, type ImportError, type InputKind } from './import.ts';
export { readBundle, validateBundle, looksLikeBundle, BUNDLE_FORMAT, BUNDLE_VERSION, type EvidenceBundle, type SourceKind } from './bundle.ts';
export { Redactor, redactInput, REDACTION_MODES, type RedactionMode, type RedactionOptions, type RedactionInfo } from './redact.ts';
export { readSamlTracer, looksLikeSamlTracer } from './samltracer.ts';
export { toHar } from './har.ts';
export { renderTicketMarkdown, describeRedaction } from './markdown.ts';
export { findEntraIds, entraIdsOf, hasEntraIds, type EntraIds } from './entra-ids.ts';
