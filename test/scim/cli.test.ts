// `samlscope scim lint | logs | lookup` as a user runs them (node bin/samlscope.mjs …), on files
// written from the fixtures, and lookup against the loopback Identity Center. Spawning tsx costs
// about half a second, so every spawn starts at once in beforeAll; usage errors run in-process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../cli/main.ts';
import { scimMain } from '../../cli/scim.ts';
import { SCIM_RULE_IDS } from '../../lib/scim/types.ts';
import { logCsvFiles, logJson } from '../fixtures/scim/provisioning-logs.ts';
import { startScimLab, type ScimLab } from '../lab/scim/server.ts';
import { entraUser, patch } from './harness.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'samlscope.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
    delete e.FORCE_COLOR;
    const p = spawn('node', [BIN, ...args], { cwd: ROOT, env: e, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(stdin);
  });
}

let dir: string;
let lab: ScimLab;
const runs: Record<string, Run> = {};
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samlscope-scim-cli-'));
  lab = await startScimLab({
    users: [{ userName: 'alex.morgan@contoso.com', displayName: 'Alex Morgan', givenName: 'Alex', familyName: 'Morgan', email: 'alex.m@contoso-mail.com' }],
    groups: [{ displayName: 'AWS-Engineers', members: ['alex.morgan@contoso.com'] }],
  });
  const bad = file('user.json', JSON.stringify(entraUser({ emails: [{ value: 'a@contoso.com', primary: true }, { value: 'b@contoso.com' }] })));
  const good = file('good.json', JSON.stringify(entraUser()));
  const err = file('error.txt', 'HTTP/1.1 409 Conflict\n\n{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Refused to create a new, duplicate resource.","status":"409"}');
  const json = file('ProvisioningLogs.json', logJson());
  const csvs = logCsvFiles('portal').map((f) => file(f.name, f.text));
  const env = { SCIM_TOKEN: lab.token };
  const ep = lab.endpoint;
  const jobs: Record<string, Promise<Run>> = {
    lintBadJson: cli(['scim', 'lint', '--format', 'json', bad]),
    lintGood: cli(['scim', 'lint', good]),
    lintError: cli(['scim', 'lint', '--format', 'markdown', err]),
    lintStdin: cli(['scim', 'lint', '--target', 'group', '-'], {}, JSON.stringify(patch([{ op: 'replace', path: 'members', value: [] }]))),
    logsJson: cli(['scim', 'logs', '--format', 'json', json]),
    logsCsv: cli(['scim', 'logs', ...csvs]),
    lookupFound: cli(['scim', 'lookup', '--endpoint', ep, '--token-env', 'SCIM_TOKEN', '--user', 'alex.morgan@contoso.com', '--test'], env),
    lookupMissingJson: cli(['scim', 'lookup', '--endpoint', ep, '--token-env', 'SCIM_TOKEN', '--user', 'alex.m@contoso-mail.com', '--format', 'json'], env),
    lookupGroup: cli(['scim', 'lookup', '--endpoint', ep, '--token-env', 'SCIM_TOKEN', '--group', 'AWS-Engineers'], env),
    lookup401: cli(['scim', 'lookup', '--endpoint', ep, '--token-env', 'SCIM_TOKEN', '--user', 'x@contoso.com'], { SCIM_TOKEN: 'expired' }),
  };
  for (const [k, p] of Object.entries(jobs)) runs[k] = await p;
}, 60_000);

afterAll(async () => {
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scim lint', () => {
  it('prints the analyze JSON shape and exits 1 on an error', () => {
    const r = runs.lintBadJson!;
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { findings: { checkId: string; severity: string; messageId: string }[]; payloads: unknown[] };
    expect(j.findings.map((f) => [f.checkId, f.severity, f.messageId])).toEqual([['scim-multivalued', 'error', 'user.json']]);
    expect(Object.keys(j.findings[0]!).sort()).toEqual(['checkId', 'evidence', 'fix', 'flowId', 'message', 'messageId', 'severity', 'title']);
    expect(j.payloads).toEqual([{ source: 'user.json', id: 'user.json', kind: 'User', resource: 'User', error: null }]);
  });
  it('exits 0 on a clean payload', () => {
    expect(runs.lintGood!.code).toBe(0);
    expect(runs.lintGood!.stdout).toMatch(/^✔ good\.json: Identity Center should accept this user/);
  });
  it('explains a pasted 409 in Markdown', () => {
    expect(runs.lintError!.code).toBe(1);
    expect(runs.lintError!.stdout).toMatch(/`scim-error`/);
    expect(runs.lintError!.stdout).toMatch(/same userName, primary email address or externalId/);
  });
  it('reads standard input with --target', () => {
    expect(runs.lintStdin!.code).toBe(1);
    expect(runs.lintStdin!.stdout).toMatch(/scim-unsupported-operation/);
  });
  it('usage errors exit 2 with one line', async () => {
    const out: string[] = [];
    const io: Io = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), readStdin: async () => '', color: false };
    expect(await main(['scim', 'lint'], io)).toBe(2);
    expect(out.join('')).toBe('samlscope: no input given: samlscope scim lint <file.json | -> (see samlscope scim --help)\n');
    out.length = 0;
    const f = file('notjson.txt', 'hello');
    expect(await main(['scim', 'lint', f], io)).toBe(2);
    expect(out.join('')).toMatch(/^samlscope: notjson\.txt: not JSON/);
    out.length = 0;
    expect(await main(['scim', 'nope'], io)).toBe(2);
    expect(await main(['scim', 'lint', '--target', 'role', f], io)).toBe(2);
    expect(await main(['scim', '--help'], io)).toBe(0);
    for (const id of ['lint', 'logs', 'lookup']) expect(out.join('')).toContain(`samlscope scim ${id}`);
  });
  it('the help of analyze points to scim', async () => {
    const out: string[] = [];
    await main(['--help'], { stdout: (s) => out.push(s), stderr: () => undefined, readStdin: async () => '', color: false });
    expect(out.join('')).toContain('samlscope scim --help');
  });
  it('every contract id is documented in the rule registry', () => {
    expect(SCIM_RULE_IDS).toHaveLength(10);
  });
});

describe('scim logs', () => {
  it('JSON: causes, users and limits; exit 1 when objects fail', () => {
    const r = runs.logsJson!;
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { format: string; summary: { records: number }; causes: { key: string }[]; identities: unknown[]; limits: unknown[] };
    expect(j.format).toBe('json');
    expect(j.summary.records).toBe(13);
    expect(j.causes.map((c) => c.key)).toEqual(['aws-rejected:single-item', 'aws-rejected:constraint', 'duplicate', 'aws-rejected:unparsable', 'not-effectively-entitled', 'throttled', 'already-in-sync']);
  });
  it('the three CSV files, as text', () => {
    const r = runs.logsCsv!;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✖ 4 objects failing to provision, 1 skipped as not entitled \(13 records\)/);
    expect(r.stdout).toContain('List attribute phoneNumbers exceeds allowed limit of 1');
    expect(r.stdout).toMatch(/Priya Shah \(User\): Failing: AWS: List attribute phoneNumbers/);
    expect(r.stdout).toContain('What these logs cannot show');
    expect(r.stdout).toMatch(/nested inside an assigned group are never provisioned/);
  });
});

describe('scim lookup', () => {
  it('a user that exists: connection, attributes, groups; exit 0', () => {
    const r = runs.lookupFound!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ Connected in \d+ ms: ServiceProviderConfig answered \(PATCH yes, bulk no, filter maxResults 50\)/);
    expect(r.stdout).toMatch(/✔ User alex\.morgan@contoso\.com\n/);
    expect(r.stdout).toMatch(/groups\s+AWS-Engineers/);
    expect(r.stdout).not.toContain(lab.token);
  });
  it('a user that does not exist: scim-user-not-found with the closest match, exit 1', () => {
    const r = runs.lookupMissingJson!;
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { user: unknown; findings: { checkId: string; message: string }[] };
    expect(j.user).toBeNull();
    expect(j.findings.map((f) => f.checkId)).toEqual(['scim-user-not-found']);
  });
  it('a group and its members', () => {
    expect(runs.lookupGroup!.code).toBe(0);
    expect(runs.lookupGroup!.stdout).toMatch(/members \(1\):\n\s+alex\.morgan@contoso\.com/);
  });
  it('a refused token: the explanation, exit 1, the token not shown', () => {
    const r = runs.lookup401!;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✖ Identity Center answered HTTP 401 \(UnauthorizedException\)/);
    expect(r.stdout).not.toContain('expired\n');
  });
  it('usage: no --token flag, a missing variable, one query at a time', async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s), readStdin: async () => '', color: false, env: {} };
    const ep = ['--endpoint', 'https://scim.eu-west-1.amazonaws.com/t/scim/v2'];
    await expect(scimMain(['lookup', ...ep, '--token', 'abc', '--user', 'x'], io)).rejects.toThrow(/shell history/);
    await expect(scimMain(['lookup', ...ep, '--token-env', 'NOPE', '--user', 'x'], io)).rejects.toThrow(/NOPE is empty or not set/);
    await expect(scimMain(['lookup', ...ep, '--token-env', 'T', '--user', 'x', '--group', 'g'], { ...io, env: { T: 'x' } })).rejects.toThrow(/give one of/);
    await expect(scimMain(['lookup', '--endpoint', 'http://scim.eu-west-1.amazonaws.com/t/scim/v2', '--token-env', 'T', '--user', 'x'], { ...io, env: { T: 'x' } })).rejects.toThrow(/must be https/);
  });
});
