// --idp-cert, --idp-metadata, --sp-metadata: what the signatures are judged against. Reads the
// files, turns them into expectations (with where each value came from), and refuses unusable
// files with one clear line (UsageError, exit 2).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Expectations } from '../lib/checks/types.ts';
import { bytesToBase64, describeCertificate, isCertificateError, splitCertificates } from '../lib/signature/cert.ts';
import { isMetadataError, metadataExpectations, parseMetadata, type IdpMetadata, type SpMetadata } from '../lib/signature/metadata.ts';
import { UsageError, type AnalyzeOptions } from './args.ts';

export interface Trust {
  /** Expectations from the files (flags given on the command line override them). */
  expectations: Expectations;
  spCertificates: string[];
  idp?: { metadata: IdpMetadata; name: string };
  sp?: { metadata: SpMetadata; name: string };
  notes: string[];
}

function read(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : ((e as Error).message ?? String(e));
    throw new UsageError(`${flag} ${path}: ${why}`);
  }
}

/** PEM (one or several), base64 text, or binary DER (Entra's "Certificate (Raw)" download). */
export function certificatesFromFile(bytes: Buffer, where: string): string[] {
  const text = bytes.toString('utf8');
  let certs = splitCertificates(text);
  if (!certs.length && bytes[0] === 0x30) certs = [bytesToBase64(new Uint8Array(bytes))];
  if (!certs.length) throw new UsageError(`${where}: not a certificate (give the PEM, its base64 text, or the DER .cer file from Entra)`);
  for (const c of certs) {
    const i = describeCertificate(c);
    if (isCertificateError(i)) throw new UsageError(`${where}: ${i.message}`);
  }
  return certs;
}

export function loadTrust(o: AnalyzeOptions): Trust {
  const t: Trust = { expectations: {}, spCertificates: [], notes: [] };
  let idp: Trust['idp'];
  let sp: Trust['sp'];
  if (o.idpMetadataFile) {
    const m = parseMetadata(read(o.idpMetadataFile, '--idp-metadata').toString('utf8'), 'idp');
    if (isMetadataError(m)) throw new UsageError(`--idp-metadata ${o.idpMetadataFile}: ${m.message}`);
    idp = { metadata: m as IdpMetadata, name: basename(o.idpMetadataFile) };
    for (const w of m.warnings) t.notes.push(`--idp-metadata ${idp.name}: ${w}`);
  }
  if (o.spMetadataFile) {
    const m = parseMetadata(read(o.spMetadataFile, '--sp-metadata').toString('utf8'), 'sp');
    if (isMetadataError(m)) throw new UsageError(`--sp-metadata ${o.spMetadataFile}: ${m.message}`);
    sp = { metadata: m as SpMetadata, name: basename(o.spMetadataFile) };
    t.spCertificates = sp.metadata.signingCertificates;
    for (const w of m.warnings) t.notes.push(`--sp-metadata ${sp.name}: ${w}`);
  }
  t.expectations = metadataExpectations(idp, sp);
  if (o.idpCertFiles?.length) {
    const certs = o.idpCertFiles.flatMap((f) => certificatesFromFile(read(f, '--idp-cert'), `--idp-cert ${f}`));
    t.expectations.idpCertificates = [...new Set(certs)];
    t.expectations.sources = { ...t.expectations.sources, idpCertificates: `--idp-cert ${o.idpCertFiles.map((f) => basename(f)).join(', ')}` };
  }
  if (idp) t.idp = idp;
  if (sp) t.sp = sp;
  return t;
}

/** base (a bundle's), then the files, then the flags; a flag's value drops the file's source note. */
export function mergeExpectations(base: Expectations | undefined, files: Expectations, flags: Expectations): Expectations {
  const sources = { ...base?.sources, ...files.sources };
  for (const k of Object.keys(flags) as (keyof Expectations)[]) delete (sources as Record<string, string>)[k];
  const out: Expectations = { ...base, ...files, ...flags };
  if (Object.keys(sources).length) out.sources = sources;
  else delete out.sources;
  return out;
}
