// `samlscope scim lint | logs | lookup`: SCIM provisioning from Entra ID to AWS IAM Identity
// Center. The work is in lib/scim; this file is arguments, files, and exit codes:
// 0 no error · 1 an error (lint: an error finding; logs: a failing object; lookup: Identity Center
// answered an error, or the user is missing or disabled) · 2 unusable input or options · 3 a bug.
import { parseArgs } from 'node:util';
import type { Io } from './load.ts';
import { UsageError } from './args.ts';
import { readInputs } from './inputs.ts';
import type { ScimFormat } from '../lib/scim/report.ts';

export const SCIM_HELP = `Usage: samlscope scim <lint|logs|lookup> [options]

SCIM provisioning from Microsoft Entra ID to AWS IAM Identity Center.

  samlscope scim lint FILE...
      Checks SCIM request bodies (User, Group, PATCH; a ListResponse) against what
      Identity Center accepts, or explains an AWS SCIM error body (400, 409, 429...)
      pasted from Entra's logs or CloudTrail. "-" reads standard input.
      --target user|group     what a PATCH body changes, when it cannot be told

  samlscope scim logs FILE...
      Reads Entra provisioning logs as downloaded from the Entra admin center: the
      JSON file, or the CSV download's three files (ProvisioningLogs*.csv). Groups the
      failures by cause, tells each user's story in order, and says what the logs
      cannot show.
      --all                   list every user and group (text), not only the first 50

  samlscope scim lookup --endpoint URL --token-env VAR (--user NAME | --external-id ID |
                        --group NAME | --saml FILE | --test)
      Asks Identity Center's SCIM endpoint. The token is read from the environment
      variable VAR (never give it as a flag: flags end up in shell history).
      --endpoint URL          https://scim.<region>.amazonaws.com/<tenant id>/scim/v2
      --token-env VAR         e.g. --token-env SCIM_TOKEN
      --user NAME             a user by user name (what the SAML NameID must equal):
                              attributes, active, groups, and the closest match when
                              it does not exist
      --external-id ID        a user by externalId
      --group NAME            a group by display name, and its members
      --saml FILE             cross-check the NameID of a SAML response, HAR file or
                              evidence bundle against Identity Center
      --test                  test the connection only (ServiceProviderConfig)
      --no-groups             do not list the user's groups
      --retries N             retries after HTTP 429 (default 3; waits double from 1 s)
      --timeout T             per request, seconds or ms (default 15 s; e.g. 30, 2500ms)
      --trust-host HOST       send the token to HOST although it is not an Identity Center
                              SCIM host (scim.<region>.amazonaws.com / .api.aws)

  --format text|json|markdown   default text (lint's JSON has the shape of analyze's)
  -h, --help

Exit codes: 0 no error · 1 an error (lint: a finding AWS refuses; logs: objects failing;
            lookup: an error from Identity Center, or the user missing or disabled) ·
            2 unusable input or options · 3 samlscope failed (a bug)
`;

export interface ScimIo extends Io {
  env?: Record<string, string | undefined>;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

function parse(args: string[], options: OptionSpec): Parsed {
  try {
    const r = parseArgs({ args, options: { ...options, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const m = /'([^']+)'/.exec(err.message ?? '');
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${m?.[1] ?? ''} (see samlscope scim --help)`);
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`option ${m?.[1]?.split(' ')[0] ?? ''} ${/does not take/.test(err.message ?? '') ? 'does not take a value' : 'needs a value'}`);
    throw new UsageError((err.message ?? String(e)).split('\n')[0]!);
  }
}

function format(v: unknown): ScimFormat {
  const f = String(v ?? 'text').toLowerCase();
  if (f === 'md') return 'markdown';
  if (f !== 'text' && f !== 'json' && f !== 'markdown') throw new UsageError(`--format ${JSON.stringify(v)} is not one of text, json, markdown`);
  return f;
}

const style = (io: Io) => ({ color: io.color, ...(io.columns ? { width: Math.min(io.columns, 120) } : {}) });

async function lint(args: string[], io: ScimIo, version: string): Promise<number> {
  const p = parse(args, { target: { type: 'string' } });
  if (p.values.help) {
    io.stdout(SCIM_HELP);
    return 0;
  }
  const fmt = format(p.values.format);
  const t = p.values.target === undefined ? undefined : String(p.values.target).toLowerCase();
  if (t !== undefined && t !== 'user' && t !== 'group') throw new UsageError(`--target ${JSON.stringify(p.values.target)} is not user or group`);
  if (!p.positionals.length) throw new UsageError('no input given: samlscope scim lint <file.json | -> (see samlscope scim --help)');
  const inputs = await readInputs(p.positionals, { readStdin: io.readStdin });
  const [{ lintScim }, { renderLint }] = await Promise.all([import('../lib/scim/lint.ts'), import('../lib/scim/report.ts')]);
  const results = inputs.map((i) => lintScim(i.text, i.name, t ? { target: t === 'user' ? 'User' : 'Group' } : {}));
  const unreadable = results.filter((r) => !r.ok);
  if (unreadable.length === results.length) {
    throw new UsageError(unreadable.map((r) => `${r.source}: ${r.ok ? '' : r.message}`).join('; '));
  }
  for (const r of unreadable) if (!r.ok) io.stderr(`samlscope: ${r.source}: ${r.message}\n`);
  io.stdout(renderLint(results, fmt, { ...style(io), version }));
  if (unreadable.length) return 2;
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

async function logs(args: string[], io: ScimIo): Promise<number> {
  const p = parse(args, { all: { type: 'boolean' } });
  if (p.values.help) {
    io.stdout(SCIM_HELP);
    return 0;
  }
  const fmt = format(p.values.format);
  if (!p.positionals.length) throw new UsageError('no input given: samlscope scim logs <ProvisioningLogs.json | ProvisioningLogs*.csv...> (see samlscope scim --help)');
  const inputs = await readInputs(p.positionals, { readStdin: io.readStdin });
  const [{ readProvisioningLogs, analyzeProvisioningLogs }, { renderLogs }] = await Promise.all([import('../lib/scim/logs.ts'), import('../lib/scim/report.ts')]);
  const read = readProvisioningLogs(inputs.map((i) => ({ name: i.name, text: i.text })));
  if (!read.ok) {
    throw new UsageError(read.errors.length ? read.errors.map((e) => `${e.file}: ${e.message}`).join('; ') : 'no provisioning log records in the input');
  }
  for (const e of read.errors) io.stderr(`samlscope: ${e.file}: ${e.message}\n`);
  const a = analyzeProvisioningLogs(read.records);
  io.stdout(renderLogs(read, a, inputs.map((i) => i.name), fmt, { ...style(io), ...(p.values.all ? { maxIdentities: Number.MAX_SAFE_INTEGER } : {}) }));
  return a.byStatus.Failure > 0 ? 1 : 0;
}

async function lookup(args: string[], io: ScimIo): Promise<number> {
  const p = parse(args, {
    endpoint: { type: 'string' },
    'token-env': { type: 'string' },
    token: { type: 'string' },
    user: { type: 'string' },
    'external-id': { type: 'string' },
    group: { type: 'string' },
    saml: { type: 'string' },
    test: { type: 'boolean' },
    'no-groups': { type: 'boolean' },
    retries: { type: 'string' },
    timeout: { type: 'string' },
    'trust-host': { type: 'string' },
  });
  const v = p.values;
  if (v.help) {
    io.stdout(SCIM_HELP);
    return 0;
  }
  const fmt = format(v.format);
  if (v.token !== undefined) throw new UsageError('--token is not accepted: a token on the command line ends up in shell history and process lists. Put it in an environment variable and give --token-env VAR');
  if (p.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(p.positionals[0])} (see samlscope scim --help)`);
  if (!v.endpoint) throw new UsageError('--endpoint URL is required: the SCIM endpoint from IAM Identity Center, https://scim.<region>.amazonaws.com/<tenant id>/scim/v2');
  if (!v['token-env']) throw new UsageError('--token-env VAR is required: the name of the environment variable that holds the SCIM access token');
  const envName = String(v['token-env']);
  const token = (io.env ?? process.env)[envName];
  if (!token || !token.trim()) throw new UsageError(`the environment variable ${envName} is empty or not set; export ${envName}=<the SCIM access token> first`);
  const what = ['user', 'external-id', 'group', 'saml'].filter((k) => v[k as keyof typeof v] !== undefined);
  if (what.length > 1) throw new UsageError(`give one of --user, --external-id, --group, --saml (got ${what.map((w) => `--${w}`).join(', ')})`);
  if (!what.length && !v.test) throw new UsageError('say what to look up: --user NAME, --external-id ID, --group NAME, --saml FILE, or --test');
  let retries = 3;
  if (v.retries !== undefined) {
    if (!/^\d{1,2}$/.test(String(v.retries))) throw new UsageError(`--retries ${JSON.stringify(v.retries)} is not a number from 0 to 99`);
    retries = Number(v.retries);
  }
  let timeoutMs: number | undefined;
  if (v.timeout !== undefined) {
    const t = String(v.timeout).trim();
    const m = /^(\d{1,4}(?:\.\d+)?)(ms|s)?$/.exec(t);
    const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) : NaN;
    if (!m || !(ms >= 100 && ms <= 600_000)) throw new UsageError(`--timeout ${JSON.stringify(v.timeout)} is not a time from 100ms to 600s (e.g. --timeout 30 or --timeout 2500ms)`);
    timeoutMs = ms;
  }
  const [{ ScimClient, ScimClientError }, { crossCheck }, { renderLookup }] = await Promise.all([import('../lib/scim/client.ts'), import('../lib/scim/crosscheck.ts'), import('../lib/scim/report.ts')]);
  let client: InstanceType<typeof ScimClient>;
  try {
    client = new ScimClient({ endpoint: String(v.endpoint), token, retries, ...(timeoutMs !== undefined ? { timeoutMs } : {}), onEvent: (e) => fmt === 'text' && io.stderr(`samlscope: ${e.message}\n`) });
  } catch (e) {
    if (e instanceof ScimClientError) throw new UsageError(e.message);
    throw e;
  }
  // A host that is not Identity Center's SCIM host gets the token only when named on purpose.
  const { tokenMayGoTo, untrustedHostMessage } = await import('../lib/scim/settings.ts');
  const trusted = v['trust-host'] === undefined ? undefined : String(v['trust-host']).toLowerCase();
  if (!tokenMayGoTo(trusted ? { trustedHost: trusted } : {}, client.info)) {
    throw new UsageError(`${untrustedHostMessage(client.info.host).replace(/only after you agree to it on the SCIM page\.$/, 'only when you name it')}: add --trust-host ${client.info.host} if your SCIM endpoint really is there`);
  }
  for (const w of client.info.warnings) io.stderr(`samlscope: note: ${w}\n`);
  const report: import('../lib/scim/report.ts').LookupReport = {
    endpoint: client.endpoint,
    findings: [],
    events: [],
  };
  const finish = (code: number) => {
    report.events = fmt === 'text' ? [] : [...client.events];
    // Text: the notes went to stderr as events already.
    if (fmt !== 'text' && client.notes.length) report.notes = [...client.notes];
    io.stdout(renderLookup(report, fmt, style(io)));
    return code;
  };
  try {
    if (v.test) {
      report.connection = await client.testConnection();
      if (!what.length) return finish(0);
    }
    if (v.group !== undefined) {
      report.query = { by: 'group', value: String(v.group) };
      const g = await client.findGroup(String(v.group));
      if (g) {
        report.group = g;
        report.members = await client.membersOfGroup(g.id);
      }
      return finish(g ? 0 : 1);
    }
    if (v['external-id'] !== undefined) {
      report.query = { by: 'externalId', value: String(v['external-id']) };
      const u = await client.findUserByExternalId(String(v['external-id']));
      if (u) {
        report.user = u;
        if (!v['no-groups']) report.groups = await client.groupsOfUser(u.id);
      }
      return finish(u && u.active !== false ? 0 : 1);
    }
    let ident: import('../lib/scim/crosscheck.ts').AssertionIdentity;
    if (v.saml !== undefined) {
      ident = await identityFromFile(String(v.saml), io);
    } else {
      ident = { nameId: String(v.user), nameIdPath: '--user', messageId: '--user' };
    }
    report.query = { by: 'userName', value: ident.nameId };
    const r = await crossCheck(client, ident, { groups: !v['no-groups'] });
    if (r.error) {
      report.error = r.error;
      return finish(1);
    }
    if (r.user) report.user = r.user;
    if (r.groups) report.groups = r.groups;
    report.findings = r.findings;
    return finish(r.findings.some((f) => f.severity === 'error') ? 1 : 0);
  } catch (e) {
    if (e instanceof ScimClientError) {
      report.error = { kind: e.kind, message: e.message };
      return finish(1);
    }
    throw e;
  }
}

/** The NameID and claims of the latest Response in a SAML file, HAR file or evidence bundle. */
async function identityFromFile(file: string, io: ScimIo) {
  const inputs = await readInputs([file], { readStdin: io.readStdin });
  const [{ load }, { analyze }, { identityFromAnalysis }, { selectFlowsNewestFirst }] = await Promise.all([
    import('./load.ts'),
    import('../lib/analyze.ts'),
    import('../lib/scim/crosscheck.ts'),
    import('../lib/store/selectors.ts'),
  ]);
  const loaded = load(inputs);
  const a = analyze({ messages: loaded.messages, steps: loaded.steps, singleFlow: loaded.singleFlow, analysisTime: new Date() });
  const flows = selectFlowsNewestFirst(a);
  const id = identityFromAnalysis(a, flows[0]) ?? identityFromAnalysis(a);
  if (!id) throw new UsageError(`${file}: no SAML Response with a NameID in it`);
  return id;
}

export async function scimMain(argv: string[], io: ScimIo, version = 'unknown'): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) {
    io.stderr(SCIM_HELP);
    return 2;
  }
  if (sub === '-h' || sub === '--help' || sub === 'help') {
    io.stdout(SCIM_HELP);
    return 0;
  }
  if (sub === 'lint') return lint(rest, io, version);
  if (sub === 'logs') return logs(rest, io);
  if (sub === 'lookup') return lookup(rest, io);
  throw new UsageError(`unknown scim command ${JSON.stringify(sub)}: lint, logs or lookup (see samlscope scim --help)`);
}
