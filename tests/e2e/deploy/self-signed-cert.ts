// A throwaway certificate for localhost, made with openssl at test time (nothing secret is kept in the repository).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface CertFiles {
  cert: string;
  key: string;
  /** The certificate's PEM text: what a client passes as its `ca` to trust it. */
  pem: string;
}

export function makeSelfSignedCert(dir: string): CertFiles {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const run = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (run.status !== 0) throw new Error(`openssl could not make a certificate (exit ${run.status}): ${run.stderr}`);
  return { cert, key, pem: fs.readFileSync(cert, 'utf8') };
}
