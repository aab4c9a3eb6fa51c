// Keys and certificates generated in the test run (never committed): an Entra-like signing
// certificate, a second "other tenant" one, and helpers to make more.
import { webcrypto, createPrivateKey, X509Certificate } from 'node:crypto';
import { T0 } from '../clock.ts';

/**
 * @peculiar/x509 (with reflect-metadata) takes about a second to import, and most test files
 * never make a key (they sign with the shared ones), so it is loaded on the first makeKey().
 */
let x509Module: Promise<typeof import('@peculiar/x509')> | undefined;
function loadX509(): Promise<typeof import('@peculiar/x509')> {
  x509Module ??= import('reflect-metadata').then(async () => {
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as Crypto);
    return x509;
  });
  return x509Module;
}

export interface TestKey {
  /** PKCS#8 PEM private key. */
  privateKeyPem: string;
  /** PEM certificate. */
  certPem: string;
  /** Base64 DER certificate (what goes into ds:X509Certificate). */
  certBase64: string;
  /** SHA-1 thumbprint, upper-case hex (as the Entra admin center shows it). */
  sha1: string;
}

const toPem = (der: ArrayBuffer, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

export async function makeKey(
  subject = 'CN=Microsoft Azure Federated SSO Certificate',
  opts: { notBefore?: Date; notAfter?: Date; modulusLength?: number; hash?: 'SHA-256' | 'SHA-1' } = {},
): Promise<TestKey> {
  const alg = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: opts.hash ?? 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: opts.modulusLength ?? 2048,
  };
  const x509 = await loadX509();
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  // Valid from a day before the test clock for three years: any message a test makes at T0 is
  // signed by a valid certificate, whatever today's date is.
  const now = T0;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    name: subject,
    notBefore: opts.notBefore ?? new Date(now - 24 * 3600e3),
    notAfter: opts.notAfter ?? new Date(now + 3 * 365 * 24 * 3600e3),
    keys,
    signingAlgorithm: alg,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const privateKeyPem = toPem(pkcs8, 'PRIVATE KEY');
  createPrivateKey(privateKeyPem); // sanity: Node can read it
  const certPem = cert.toString('pem');
  const certBase64 = Buffer.from(cert.rawData).toString('base64');
  const sha1 = new X509Certificate(certPem).fingerprint.replace(/:/g, '');
  return { privateKeyPem, certPem, certBase64, sha1 };
}

/**
 * The two keys every test file signs with. A vitest run makes them once (test/global-setup.ts
 * passes them to its workers in SAMLSCOPE_TEST_KEYS): RSA key generation cost each of ~45 test
 * files 0.7 s of CPU, three times over in `npm test`. Outside vitest (the lab, the demo) they are
 * made here, once per process.
 */
async function sharedKeys(): Promise<{ idp: TestKey; other: TestKey }> {
  const given = process.env.SAMLSCOPE_TEST_KEYS;
  if (given) {
    try {
      const k = JSON.parse(given) as { idp: TestKey; other: TestKey };
      if (k.idp?.privateKeyPem && k.other?.privateKeyPem) return k;
    } catch {
      // Unreadable: make them here.
    }
  }
  return makeSharedKeys();
}

export async function makeSharedKeys(): Promise<{ idp: TestKey; other: TestKey }> {
  return { idp: await makeKey(), other: await makeKey('CN=Microsoft Azure Federated SSO Certificate (other)') };
}

const shared = await sharedKeys();
/** The tenant's signing key. */
export const IDP_KEY: TestKey = shared.idp;
/** A key of another tenant / a rolled-over certificate. */
export const OTHER_KEY: TestKey = shared.other;
