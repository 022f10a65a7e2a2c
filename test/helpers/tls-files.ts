/**
 * Self-signed certificates for HTTPS tests, made with the `openssl` command for 127.0.0.1 and localhost (the names
 * the test clients connect to). Each call makes a new key pair, so two calls give a certificate and a key that do
 * not match.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsFilePair {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The certificate's PEM text (what a client trusts as its CA). */
  readonly cert: string;
}

export function selfSignedCertificate(name = 'cairn-test'): TlsFilePair {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${name}`,
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { dir, certFile, keyFile, cert: readFileSync(certFile, 'utf8') };
}
