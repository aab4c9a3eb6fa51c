// Report renderers over an analysis: text (terminal), Markdown (tickets), JSON (machines).
// Pure, so the extension's export reuses them.
export { renderText, safeText, type TextOptions } from './text.ts';
export { renderMarkdown, mdCode, mdText, type MarkdownOptions } from './markdown.ts';
export { renderJson, toJsonReport, type JsonFinding, type JsonMessage, type JsonOptions, type JsonReport } from './json.ts';
export { resultVerdict, verdictOf, sections, type ReportOptions, type Verdict, type VerdictLevel } from './common.ts';
export { summaryVerdict } from './diagnosis.ts';
