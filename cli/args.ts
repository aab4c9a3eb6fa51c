// Command-line options of `samlscope analyze`, and the --config file with the same expectations.
// Every problem is a UsageError: one line on stderr, exit 2, no stack trace.
import { parseArgs } from 'node:util';
import type { Expectations } from '../lib/checks/types.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type Format = 'text' | 'json' | 'markdown';

export interface AnalyzeOptions {
  inputs: string[];
  expectations: Expectations;
  /** Text format: every flow, message, step and finding (default: the verdict and the top cause). */
  verbose?: boolean;
  now?: Date;
  format: Format;
  maxBytes?: number;
  includeXml: boolean;
  configPath?: string;
  /** --idp-cert FILE (repeatable): the IdP signing certificates AWS holds (PEM, base64 or DER). */
  idpCertFiles?: string[];
  /** --idp-metadata FILE: Entra federation metadata XML. */
  idpMetadataFile?: string;
  /** --sp-metadata FILE: AWS IAM Identity Center SP metadata XML. */
  spMetadataFile?: string;
  /** --each: every input analysed on its own, one JSON line per file (cli/each.ts). */
  each?: boolean;
}

export type ExportFormatArg = 'markdown' | 'json' | 'har';
export type RedactArg = 'none' | 'pseudonymise' | 'remove';

/** `samlscope export`: the analysis options, and what to write. */
export interface ExportOptions extends AnalyzeOptions {
  exportFormat: ExportFormatArg;
  redact: RedactArg;
  redactTenant: boolean;
  redactSignatures: boolean;
  /** Write here instead of standard output. */
  output?: string;
  /** Export only this flow (an id from `analyze --format json`). */
  flow?: string;
}

export type Command =
  | { command: 'help'; toStderr?: boolean; topic?: 'export' }
  | { command: 'version' }
  | { command: 'analyze'; options: AnalyzeOptions; help?: false }
  | { command: 'export'; options: ExportOptions };

export const HELP = `Usage: samlscope analyze [options] <input...>

Checks a SAML sign-in from Microsoft Entra ID to AWS IAM Identity Center and says
why AWS would refuse it, with the evidence and where to fix it.

Inputs (give HAR files alone, or message files alone):
  sign-in.har          a HAR export from Chrome, Edge or Firefox: every SAML message
                       in it, assembled into sign-in flows with their HTTP steps
  response.txt         a file holding a SAMLResponse / SAMLRequest value (POST base64
                       or Redirect deflate), a full URL, a query string or form body
                       with SAMLResponse=..., or the XML itself
  'https://...?SAMLRequest=...'   a URL or SAMLResponse=... given directly
  -                    read one input from standard input
  Several message files form ONE flow, in the order given: request.txt response.txt
  is an SP-initiated pair.
  Sign-in logs, given beside the capture, are joined to its sign-ins (by Correlation /
  Request Id, else by user and time) and shown in each; a CloudTrail failure whose
  words name a cause confirms it (docs/sign-in-logs.md):
  signins.json/.csv    Entra sign-in log (admin center JSON or CSV, Graph
                       /auditLogs/signIns, Log Analytics SigninLogs)
  cloudtrail.json      CloudTrail sign-in events: aws cloudtrail lookup-events output
                       (JSON, or --query "Events[].CloudTrailEvent" --output text), a
                       trail file ({"Records": [...]}), or one event
  e.g. samlscope analyze sign-in.har cloudtrail.json signins.csv

Expectations (what AWS expects; optional, each makes the checks exact):
  --sp-entity-id URL          IAM Identity Center issuer URL (Entra: Identifier)
  --acs-url URL               IAM Identity Center ACS URL (Entra: Reply URL)
  --idp-entity-id URL         Entra issuer, https://sts.windows.net/<tenant-id>/
  --region REGION             Identity Center region, e.g. eu-west-1
  --request-id ID             the AuthnRequest ID the response must answer
  --expected-username NAME    the Identity Center user name the NameID must equal
  --expect-access-control K1,K2   AccessControl attribute keys that must arrive
  --clock-skew SECONDS        tolerated clock difference (default 300)
  --portal-url URL            the AWS access portal URL users should land on
  --username-source upn|mail  the claim that holds the Identity Center user name
  --idp-cert FILE             the IdP signing certificate AWS holds (PEM, base64 or
                              DER .cer; repeat for several): signatures are verified
                              and the signing certificate compared with it
  --idp-metadata FILE         Entra federation metadata XML: entity ID, signing
                              certificates, sign-in URL (flags override its values)
  --sp-metadata FILE          AWS IAM Identity Center SP metadata XML: entity ID, ACS URL
  --config FILE.json          the same as JSON: {"spEntityId", "acsUrl", "idpEntityId",
                              "region", "requestId", "expectedUsername",
                              "expectedAccessControlKeys": [...], "clockSkewSeconds",
                              "portalUrl", "usernameSource"}; flags override the file

Output:
  --format text|json|markdown   default text: the verdict and the top cause with its
                              evidence and fix; markdown is not redacted (use export)
  -v, --verbose               text: every sign-in, message, HTTP step and finding
  --include-xml               add each message's decoded XML (json format)
  --each                      a batch (a support queue): analyse every input file on its
                              own and write one JSON line per file: {"file", "ok", "flows",
                              "verdict", "checks", "notes"} or {"file", "ok": false, "error"};
                              a progress line on stderr when it is a terminal; exit 2 if a
                              file was unusable, else 1 if any has an error
  --now ISO-TIME              judge validity windows at this time, not capture time
  --max-bytes N[k|m]          largest decoded message (default 2m)
  -h, --help                  this help
  --version                   samlscope's version

Exit codes: 0 no error found · 1 at least one error (AWS will refuse) ·
            2 unusable input or options · 3 samlscope failed (a bug)

Evidence for a ticket: samlscope export --help
Compare a failing sign-in with a known-good one: samlscope diff --help
SCIM provisioning (payloads, Entra provisioning logs, Identity Center lookups): samlscope scim --help
`;

export const EXPORT_HELP = `Usage: samlscope export [options] <input...>

Turns a capture into evidence for a ticket, with the customer's identities redacted:
Markdown to paste, a JSON evidence bundle (re-imports losslessly; docs/evidence-bundle.md),
or a HAR 1.2 file of the flow (opens in Chrome DevTools and HAR viewers).

Inputs: what samlscope analyze reads (a HAR file, SAML message files, a URL or value, -),
and also a SAML-tracer export (its JSON) or a samlscope evidence bundle.

  --format markdown|json|har   default markdown
  --redact none|pseudonymise|remove
                               default pseudonymise: NameID, e-mail / name / UPN claims,
                               object ids, AccessControl values, SessionIndex, RelayState
                               and session tokens in URLs become look-alike values (equal values stay equal, so a
                               mismatch stays visible); remove masks them (xxxx@xxxx.com);
                               none keeps everything as captured
  --redact-tenant              also the Entra tenant id
  --redact-signatures          also signature values, digests and certificates
  --flow N|FLOW-ID             only this sign-in: its number as samlscope analyze shows
                               it (sign-in #N), or its id (analyze --format json)
  -o, --output FILE            write to FILE instead of standard output
  The expectation options of samlscope analyze (--sp-entity-id, --config, --now…) apply.

Redacted messages are decoded, rewritten and encoded again (base64, DEFLATE), so no
identifier survives inside an encoded payload; their signatures no longer verify.
Exit codes: 0 written · 2 unusable input or options · 3 samlscope failed (a bug)
`;

export const DIFF_HELP = `Usage: samlscope diff [options] GOOD BAD

Compares a known-good sign-in (GOOD) with a failing one (BAD), field by field: issuers,
status, NameID and format, audiences, Destination and Recipient, InResponseTo, validity
windows (as offsets from each capture time), signing (element, algorithms, certificate
SHA-1 thumbprint as Entra shows it), encryption, AuthnContextClassRef, every attribute.
What is the same folds away.

GOOD and BAD are each one of: a HAR file, a samlscope evidence bundle, a SAML-tracer
export, or a message file (a SAMLResponse value, the XML, a URL); "-" reads one of them
from standard input. From a file with several sign-ins, GOOD's latest without errors and
BAD's latest with errors are compared (the latest, when there is none such), and the choice
is said on standard error.

  --good-flow N|ID      the known-good flow to compare: its number as samlscope analyze
                        counts flows ("Flow 2 of 3"), or its id (analyze --format json)
  --bad-flow N|ID       the same for the failing side
  --all                 also list the fields that are the same
  --format text|markdown|json   default text; json lists every field, same ones included
  -h, --help            this help

Exit codes: 0 no difference · 1 differences found · 2 unusable input or options ·
            3 samlscope failed (a bug)
`;

export interface DiffOptions {
  good: string;
  bad: string;
  goodFlow?: string;
  badFlow?: string;
  all: boolean;
  format: Format;
}

/** `samlscope diff` arguments (without "diff"). */
export function parseDiffCommand(argv: string[]): { command: 'help' } | { command: 'diff'; options: DiffOptions } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'good-flow': { type: 'string' },
        'bad-flow': { type: 'string' },
        all: { type: 'boolean' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(parseError(e).message.replace('samlscope analyze --help', 'samlscope diff --help'));
  }
  const v = parsed.values;
  if (v.help) return { command: 'help' };
  const format = (v.format ?? 'text').toLowerCase();
  if (format !== 'text' && format !== 'json' && format !== 'markdown' && format !== 'md') {
    throw new UsageError(`--format ${JSON.stringify(v.format)} is not one of text, markdown, json`);
  }
  const p = parsed.positionals;
  if (p.length !== 2) {
    throw new UsageError(
      p.length < 2
        ? `diff needs two inputs, the known-good sign-in then the failing one: samlscope diff GOOD BAD (got ${p.length})`
        : `diff compares two inputs, the known-good sign-in then the failing one; got ${p.length}: ${p.join(' ')}`,
    );
  }
  if (p[0] === '-' && p[1] === '-') throw new UsageError('"-" (standard input) can be given for one side only');
  const flow = (x: string | undefined, flag: string) => {
    if (x === undefined) return undefined;
    const t = x.trim();
    if (t === '' || t === '0' || /^-/.test(t)) throw new UsageError(`${flag} needs a flow number (1, 2, …) or a flow id`);
    return t;
  };
  const options: DiffOptions = { good: p[0]!, bad: p[1]!, all: !!v.all, format: format === 'md' ? 'markdown' : (format as Format) };
  const gf = flow(v['good-flow'], '--good-flow');
  const bf = flow(v['bad-flow'], '--bad-flow');
  if (gf !== undefined) options.goodFlow = gf;
  if (bf !== undefined) options.badFlow = bf;
  return { command: 'diff', options };
}

const OPTIONS = {
  'sp-entity-id': { type: 'string' },
  'acs-url': { type: 'string' },
  'idp-entity-id': { type: 'string' },
  region: { type: 'string' },
  'request-id': { type: 'string' },
  'expected-username': { type: 'string' },
  'expect-access-control': { type: 'string' },
  'clock-skew': { type: 'string' },
  'portal-url': { type: 'string' },
  'username-source': { type: 'string' },
  config: { type: 'string' },
  now: { type: 'string' },
  format: { type: 'string' },
  'max-bytes': { type: 'string' },
  'include-xml': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  each: { type: 'boolean' },
  'idp-cert': { type: 'string', multiple: true },
  'idp-metadata': { type: 'string' },
  'sp-metadata': { type: 'string' },
  redact: { type: 'string' },
  'redact-tenant': { type: 'boolean' },
  'redact-signatures': { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  flow: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** The keys a --config file may hold, and their types. */
export const CONFIG_KEYS = {
  spEntityId: 'string',
  acsUrl: 'string',
  idpEntityId: 'string',
  region: 'string',
  requestId: 'string',
  expectedUsername: 'string',
  expectedAccessControlKeys: 'string[]',
  clockSkewSeconds: 'number',
  portalUrl: 'string',
  usernameSource: 'upn|mail',
} as const satisfies Partial<Record<keyof Expectations, 'string' | 'string[]' | 'number' | 'upn|mail'>>;

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

function parseError(e: unknown): UsageError {
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const m = /Unknown option '([^']+)'/.exec(msg);
    return new UsageError(`unknown option ${m?.[1] ?? ''} (see samlscope analyze --help)`.replace('  ', ' '));
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const m = /Option '([^' ]+)/.exec(msg);
    if (/does not take an argument/.test(msg)) return new UsageError(`option ${m?.[1] ?? ''} does not take a value`);
    // "--clock-skew -5": what follows starts with a dash, so it reads as another option.
    if (/argument is ambiguous/.test(msg)) return new UsageError(`option ${m?.[1] ?? ''} needs a value, and what follows it starts with "-" (an option, not a value); write ${m?.[1] ?? ''}=VALUE to give a value that starts with "-"`);
    return new UsageError(`option ${m?.[1] ?? ''} needs a value`);
  }
  return new UsageError(msg.split('\n')[0]!);
}

export function parseNow(v: string): Date {
  const s = v.trim();
  const t = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(s) ? Date.parse(s.replace(' ', 'T')) : NaN;
  if (Number.isNaN(t)) {
    throw new UsageError(`--now ${JSON.stringify(v)} is not an ISO 8601 time; use e.g. --now 2025-03-14T09:30:00Z`);
  }
  return new Date(t);
}

export function parseClockSkew(v: string, where = '--clock-skew'): number {
  if (!/^\d+(\.\d+)?$/.test(v.trim())) {
    throw new UsageError(`${where} ${JSON.stringify(v)} is not a number of seconds (0 or more), e.g. ${where} 300`);
  }
  return Number(v.trim());
}

export function parseMaxBytes(v: string): number {
  const m = /^(\d+)\s*(k|kb|m|mb)?$/i.exec(v.trim());
  const n = m ? Number(m[1]) * (m[2] ? (m[2].toLowerCase().startsWith('k') ? 1024 : 1024 * 1024) : 1) : NaN;
  if (!m || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--max-bytes ${JSON.stringify(v)} is not a size; use a number of bytes, or e.g. 512k, 4m`);
  }
  return n;
}

function parseKeys(v: string): string[] {
  const keys = v.split(',').map((k) => k.trim()).filter(Boolean);
  if (!keys.length) throw new UsageError('--expect-access-control needs one or more keys, e.g. --expect-access-control Department,CostCenter');
  return keys;
}

function checkRegion(v: string, where: string): string {
  if (!REGION_RE.test(v.trim())) throw new UsageError(`${where} ${JSON.stringify(v)} is not an AWS region name, e.g. eu-west-1`);
  return v.trim();
}

/** Validates the parsed JSON of a --config file. `name` is the file, for messages. */
export function expectationsFromConfig(doc: unknown, name: string): Expectations {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UsageError(`--config ${name}: expected a JSON object like {"spEntityId": "...", "acsUrl": "..."}`);
  }
  const rec = doc as Record<string, unknown>;
  const unknown = Object.keys(rec).filter((k) => !(k in CONFIG_KEYS));
  if (unknown.length) {
    throw new UsageError(
      `--config ${name}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${Object.keys(CONFIG_KEYS).join(', ')}`,
    );
  }
  const e: Expectations = {};
  for (const [key, type] of Object.entries(CONFIG_KEYS) as [keyof Expectations, string][]) {
    const v = rec[key];
    if (v === undefined || v === null) continue;
    if (type === 'string') {
      if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--config ${name}: "${key}" must be a non-empty string`);
      (e as Record<string, unknown>)[key] = v.trim();
    } else if (type === 'string[]') {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
        throw new UsageError(`--config ${name}: "${key}" must be a list of non-empty strings, e.g. ["Department"]`);
      }
      e.expectedAccessControlKeys = (v as string[]).map((x) => x.trim());
    } else if (type === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new UsageError(`--config ${name}: "${key}" must be a number of seconds, 0 or more`);
      e.clockSkewSeconds = v;
    } else if (type === 'upn|mail') {
      if (v !== 'upn' && v !== 'mail') throw new UsageError(`--config ${name}: "${key}" must be "upn" or "mail"`);
      e.usernameSource = v;
    }
  }
  if (e.region) checkRegion(e.region, `--config ${name}: "region"`);
  return e;
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw parseError(e);
  }
}

const COMMANDS = ['analyze', 'export', 'diff'] as const;

/** Levenshtein distance, for "did you mean" (short words only). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Parses argv (without node and the script). `readConfig` reads the --config file's text
 * (the CLI passes a file reader; tests can pass a stub).
 */
export function parseCommand(argv: string[], readConfig: (path: string) => string): Command {
  const [first, ...rest] = argv;
  if (first === undefined) return { command: 'help', toStderr: true };
  if (first === '-h' || first === '--help' || first === 'help') return { command: 'help' };
  if (first === '--version' || first === '-V') return { command: 'version' };
  if (first !== 'analyze' && first !== 'export') {
    if (first.startsWith('-')) throw new UsageError(`give a command first: samlscope analyze ${argv.join(' ')} (see samlscope --help)`);
    // A command misspelt ("analyse") is replaced; anything else (a file name) is given to analyze.
    const near = COMMANDS.find((c) => editDistance(first.toLowerCase(), c) <= 2);
    if (near) throw new UsageError(`unknown command ${JSON.stringify(first)}; did you mean: samlscope ${[near, ...rest].join(' ')}`);
    throw new UsageError(`unknown command ${JSON.stringify(first)}; did you mean: samlscope analyze ${argv.join(' ')}`);
  }
  const parsed = parseOptions(rest);
  const v = parsed.values;
  const isExport = first === 'export';
  if (v.help) return isExport ? { command: 'help', topic: 'export' } : { command: 'help' };
  if (v.version) return { command: 'version' };
  if (!isExport) {
    const only = (['redact', 'redact-tenant', 'redact-signatures', 'output', 'flow'] as const).find((k) => v[k] !== undefined);
    if (only) throw new UsageError(`--${only} belongs to samlscope export (see samlscope export --help)`);
  } else if (v.each) {
    throw new UsageError('--each belongs to samlscope analyze: export one file at a time');
  }
  if (v.each) {
    if (v.format !== undefined && v.format.toLowerCase() !== 'json') {
      throw new UsageError(`--each writes one JSON line per file; --format ${v.format} cannot go with it`);
    }
    if (v['include-xml']) throw new UsageError('--include-xml cannot go with --each (one summary line per file)');
  }

  const format = (v.format ?? (isExport ? 'markdown' : 'text')).toLowerCase();
  if (isExport) {
    if (format !== 'json' && format !== 'markdown' && format !== 'md' && format !== 'har') {
      throw new UsageError(`--format ${JSON.stringify(v.format)} is not one of markdown, json, har`);
    }
  } else if (format !== 'text' && format !== 'json' && format !== 'markdown' && format !== 'md') {
    throw new UsageError(`--format ${JSON.stringify(v.format)} is not one of text, json, markdown`);
  }

  let expectations: Expectations = {};
  if (v.config !== undefined) {
    let text: string;
    try {
      text = readConfig(v.config);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : ((e as Error).message ?? String(e));
      throw new UsageError(`--config ${v.config}: ${why}`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new UsageError(`--config ${v.config}: not valid JSON (${(e as Error).message})`);
    }
    expectations = expectationsFromConfig(doc, v.config);
  }
  const str = (x: string | undefined, flag: string): string | undefined => {
    if (x === undefined) return undefined;
    if (x.trim() === '') throw new UsageError(`${flag} needs a non-empty value`);
    return x.trim();
  };
  const flags: Expectations = {};
  const set = <K extends keyof Expectations>(k: K, val: Expectations[K] | undefined) => {
    if (val !== undefined) flags[k] = val;
  };
  set('spEntityId', str(v['sp-entity-id'], '--sp-entity-id'));
  set('acsUrl', str(v['acs-url'], '--acs-url'));
  set('idpEntityId', str(v['idp-entity-id'], '--idp-entity-id'));
  const region = str(v.region, '--region');
  set('region', region !== undefined ? checkRegion(region, '--region') : undefined);
  set('requestId', str(v['request-id'], '--request-id'));
  set('expectedUsername', str(v['expected-username'], '--expected-username'));
  if (v['expect-access-control'] !== undefined) flags.expectedAccessControlKeys = parseKeys(v['expect-access-control']);
  if (v['clock-skew'] !== undefined) flags.clockSkewSeconds = parseClockSkew(v['clock-skew']);
  set('portalUrl', str(v['portal-url'], '--portal-url'));
  const us = str(v['username-source'], '--username-source');
  if (us !== undefined) {
    if (us !== 'upn' && us !== 'mail') throw new UsageError(`--username-source ${JSON.stringify(us)} is not upn or mail`);
    flags.usernameSource = us;
  }
  expectations = { ...expectations, ...flags };

  const options: AnalyzeOptions = {
    inputs: parsed.positionals,
    expectations,
    format: format === 'md' ? 'markdown' : format === 'har' ? 'json' : format,
    includeXml: !!v['include-xml'],
    verbose: !!v.verbose,
  };
  if (v.config !== undefined) options.configPath = v.config;
  if (v.each) options.each = true;
  if (v.now !== undefined) options.now = parseNow(v.now);
  if (v['max-bytes'] !== undefined) options.maxBytes = parseMaxBytes(v['max-bytes']);
  const file = (x: string | undefined, flag: string) => {
    if (x !== undefined && x.trim() === '') throw new UsageError(`${flag} needs a file name`);
    return x;
  };
  if (v['idp-cert']?.length) options.idpCertFiles = v['idp-cert'].map((f) => file(f, '--idp-cert')!);
  const idpMd = file(v['idp-metadata'], '--idp-metadata');
  if (idpMd !== undefined) options.idpMetadataFile = idpMd;
  const spMd = file(v['sp-metadata'], '--sp-metadata');
  if (spMd !== undefined) options.spMetadataFile = spMd;
  if (options.inputs.length === 0) {
    throw new UsageError(`no input given: samlscope ${first} <file.har | message-file | URL | -> (see --help)`);
  }
  if (isExport) {
    const redact = (v.redact ?? 'pseudonymise').toLowerCase().replace(/ize$/, 'ise');
    if (redact !== 'none' && redact !== 'pseudonymise' && redact !== 'remove') {
      throw new UsageError(`--redact ${JSON.stringify(v.redact)} is not one of none, pseudonymise, remove`);
    }
    if (redact === 'none' && (v['redact-tenant'] || v['redact-signatures'])) {
      throw new UsageError('--redact-tenant and --redact-signatures need --redact pseudonymise or remove');
    }
    const e: ExportOptions = {
      ...options,
      exportFormat: format === 'md' ? 'markdown' : (format as ExportFormatArg),
      redact,
      redactTenant: !!v['redact-tenant'],
      redactSignatures: !!v['redact-signatures'],
    };
    if (v.output !== undefined) {
      if (v.output.trim() === '') throw new UsageError('--output needs a file name');
      e.output = v.output;
    }
    if (v.flow !== undefined) e.flow = v.flow;
    return { command: 'export', options: e };
  }
  return { command: 'analyze', options };
}
