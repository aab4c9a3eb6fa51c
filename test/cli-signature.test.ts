// samlscope analyze with --idp-cert, --idp-metadata, --sp-metadata: in-process through main(),
// on files written from the lab factory. One spawned run checks the real binary end to end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../cli/main.ts';
import type { JsonReport } from '../lib/report/json.ts';
import { LAB, signedResponse, toPost } from './lab/factory.ts';
import { IDP_KEY, OTHER_KEY } from './lab/keys.ts';
import { awsSpMetadata, entraMetadata } from './fixtures/metadata.ts';

let dir: string;
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: async () => '', color: false };
  const code = await main(['analyze', ...args], io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as JsonReport };
}
const ids = (r: JsonReport) => r.findings.map((f) => `${f.severity}:${f.checkId}`);

let good: string;
let other: string;
let tampered: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'samlscope-sig-'));
  good = file('good.txt', toPost(signedResponse()));
  other = file('other.txt', toPost(signedResponse({}, { key: OTHER_KEY })));
  tampered = file('tampered.txt', toPost(signedResponse().replace(`${LAB.user}</NameID>`, 'eve@contoso.com</NameID>')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('samlscope analyze: signatures, certificates and metadata', () => {
  it('verifies by default: a changed message is an error (exit 1); an intact one is not', async () => {
    const bad = await run(['--format', 'json', tampered]);
    expect(bad.code).toBe(1);
    expect(ids(bad.json())).toContain('error:signature-invalid');
    const ok = await run(['--format', 'json', good]);
    expect(ids(ok.json())).not.toContain('error:signature-invalid');
    // Nothing given: the certificate is pinned for the run, with a visible note.
    const pin = ok.json().findings.find((f) => f.checkId === 'signature-cert-mismatch')!;
    expect(pin.severity).toBe('info');
    expect(pin.message).toContain('pinned the first certificate it saw for tenant');
  });

  it('--idp-cert takes PEM, base64 text and binary DER (Entra "Certificate (Raw)"), repeatable', async () => {
    const pem = file('idp.pem', IDP_KEY.certPem);
    const b64 = file('idp.b64', IDP_KEY.certBase64);
    const der = file('idp.cer', Buffer.from(IDP_KEY.certBase64, 'base64'));
    const otherPem = file('other.pem', OTHER_KEY.certPem);
    for (const f of [pem, b64, der]) {
      const r = await run(['--format', 'json', '--idp-cert', f, good]);
      expect(r.code, r.stderr).toBe(0);
      expect(ids(r.json()).filter((x) => x.includes('signature-cert-mismatch'))).toEqual([]);
    }
    const mismatch = await run(['--format', 'json', '--idp-cert', pem, other]);
    expect(mismatch.code).toBe(1);
    const f = mismatch.json().findings.find((x) => x.checkId === 'signature-cert-mismatch')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain(OTHER_KEY.sha1);
    expect(f.evidence[0]).toMatchObject({ expected: IDP_KEY.sha1, actual: OTHER_KEY.sha1, source: '--idp-cert idp.pem' });
    const both = await run(['--format', 'json', '--idp-cert', pem, '--idp-cert', otherPem, other]);
    expect(ids(both.json()).filter((x) => x.includes('signature-cert-mismatch'))).toEqual([]);
  });

  it('--idp-metadata and --sp-metadata fill the expectations and say where the traffic disagrees', async () => {
    const idp = file('entra.xml', entraMetadata([IDP_KEY.certBase64]));
    const sp = file('aws.xml', awsSpMetadata());
    const ok = await run(['--format', 'json', '--idp-metadata', idp, '--sp-metadata', sp, good]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe('');
    const bad = await run(['--idp-metadata', idp, '--sp-metadata', sp, other]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`samlscope: note: Entra signs with certificate CN=Microsoft Azure Federated SSO Certificate (other) (SHA-1 thumbprint ${OTHER_KEY.sha1}); the metadata you gave (entra.xml) holds`);
    expect(bad.stdout).toContain('the Entra federation metadata (entra.xml)');
    // A flag overrides the metadata's value, and its source.
    const flag = await run(['--format', 'json', '--sp-metadata', sp, '--sp-entity-id', 'https://x.example/', good]);
    const aud = flag.json().findings.find((x) => x.checkId === 'audience-mismatch')!;
    expect(aud.evidence[0]).toMatchObject({ expected: 'https://x.example/', source: 'configured' });
  });

  it('refuses unusable files with one line and exit 2', async () => {
    const notCert = file('note.txt', 'hello');
    const spAsIdp = file('aws2.xml', awsSpMetadata());
    for (const [args, msg] of [
      [['--idp-cert', join(dir, 'missing.pem')], 'file not found'],
      [['--idp-cert', notCert], 'not a certificate'],
      [['--idp-metadata', spAsIdp], 'import it as the AWS SP metadata'],
      [['--idp-metadata', ''], '--idp-metadata needs a file name'],
    ] as const) {
      const r = await run([...args, good]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('runs through the real binary', () => {
    const pem = file('idp2.pem', IDP_KEY.certPem);
    const r = spawnSync('node', [join(import.meta.dirname, '..', 'bin', 'samlscope.mjs'), 'analyze', '--idp-cert', pem, tampered], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('signature-invalid');
    expect(r.stdout).toContain('The signed content was changed after signing');
  });
});
