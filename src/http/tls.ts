/**
 * HTTPS: `--tls-cert FILE` and `--tls-key FILE` (or `tls.cert` / `tls.key` in the configuration file) serve the
 * same handler over TLS on the same port. Both files are PEM; the certificate file may hold the chain after the
 * server's certificate.
 *
 * Everything that can be wrong with them is found before the server starts (and before the store opens), each with
 * its own message, because "the TLS handshake fails" is all a client would otherwise learn: one setting without the
 * other, a file that cannot be read, a file that holds no certificate or no private key, and a key that is not the
 * certificate's. A reload (SIGHUP) goes through the same checks and keeps the current certificate when they fail.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** The PEM text of both files, checked to belong together. */
export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** A TLS setting that cannot be served: the message says which file and why. */
export class TlsSettingsError extends Error {}

/**
 * `--tls-cert` and `--tls-key` (flags or configuration file, merged by the caller) -> the files, or undefined when
 * neither is given. One without the other is refused rather than falling back to plain HTTP: a client configured
 * for https would otherwise fail with a handshake error that says nothing of the cause.
 */
export function tlsFiles(certFile: string | undefined, keyFile: string | undefined): TlsFiles | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined) {
    throw new TlsSettingsError('--tls-key (or "tls.key") needs --tls-cert (or "tls.cert"): HTTPS takes a certificate and its private key');
  }
  if (keyFile === undefined) {
    throw new TlsSettingsError('--tls-cert (or "tls.cert") needs --tls-key (or "tls.key"): HTTPS takes a certificate and its private key');
  }
  return { certFile, keyFile };
}

/** Reads and checks both files (see the module comment). */
export function loadTlsCredentials(files: TlsFiles): TlsCredentials {
  const cert = readSetting(files.certFile, 'certificate (--tls-cert)');
  const key = readSetting(files.keyFile, 'private key (--tls-key)');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw new TlsSettingsError(`${files.certFile} holds no PEM certificate (--tls-cert): ${reason(error)}`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new TlsSettingsError(`${files.keyFile} holds no usable PEM private key (--tls-key): ${reason(error)}`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new TlsSettingsError(`the private key in ${files.keyFile} does not match the certificate in ${files.certFile}`);
  }
  // What node:https will do with them: anything OpenSSL still refuses (a chain it cannot parse) is found now.
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new TlsSettingsError(`${files.certFile} and ${files.keyFile} cannot be served: ${reason(error)}`);
  }
  return { cert, key };
}

function readSetting(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new TlsSettingsError(`cannot read the TLS ${what} ${file}: ${reason(error)}`);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
