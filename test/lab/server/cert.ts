// The lab's TLS certificate: self-signed, generated in-process at start (never written to disk),
// naming the real Entra / My Apps / AWS host names so Chromium (with --host-resolver-rules and
// --ignore-certificate-errors) sees them under their own names.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** Every host name the lab answers for (the TLS certificate's subjectAltNames). */
export const LAB_HOST_NAMES = [
  'login.microsoftonline.com',
  'login.microsoft.com',
  'launcher.myapps.microsoft.com',
  'myapps.microsoft.com',
  '*.signin.aws.amazon.com',
  'signin.aws.amazon.com',
  '*.awsapps.com',
  'lab.invalid',
] as const;

export interface TlsMaterial {
  keyPem: string;
  certPem: string;
}

const toPem = (der: ArrayBuffer, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

/** An ECDSA P-256 server certificate for LAB_HOST_NAMES (fast to make: a few ms). */
export async function makeTlsCertificate(names: readonly string[] = LAB_HOST_NAMES): Promise<TlsMaterial> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    name: 'CN=samlscope lab',
    notBefore: new Date(now - 3600e3),
    notAfter: new Date(now + 7 * 24 * 3600e3),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        [...names.map((value) => ({ type: 'dns' as const, value })), { type: 'ip' as const, value: '127.0.0.1' }],
      ),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { keyPem: toPem(pkcs8, 'PRIVATE KEY'), certPem: cert.toString('pem') };
}
