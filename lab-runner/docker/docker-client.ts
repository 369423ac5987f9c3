// Builds the dockerode client the way the Docker CLI reads its environment:
// DOCKER_HOST (unix://, tcp://, ssh://, npipe://), DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_API_VERSION.
// docker-modem already parses DOCKER_HOST/DOCKER_TLS_VERIFY/DOCKER_CERT_PATH (ssh:// goes through SSH_AUTH_SOCK);
// we only add the CLI's default certificate directory (~/.docker) and the API version pin.
import Docker from 'dockerode';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Human-readable engine address, used in "cannot reach Docker" messages. */
export function dockerTarget(env: Record<string, string | undefined> = process.env): string {
  return env.DOCKER_HOST && env.DOCKER_HOST !== '' ? env.DOCKER_HOST : 'unix:///var/run/docker.sock';
}

export function createDockerClient(env: Record<string, string | undefined> = process.env): Docker {
  const options: Docker.DockerOptions = {};
  const tlsVerify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
  if (tlsVerify && !env.DOCKER_CERT_PATH) {
    // Like the Docker CLI: certificates default to ~/.docker when DOCKER_CERT_PATH is unset.
    const dir = path.join(os.homedir(), '.docker');
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f)) : undefined);
    const ca = read('ca.pem');
    const cert = read('cert.pem');
    const key = read('key.pem');
    if (ca && cert && key) Object.assign(options, { ca, cert, key, protocol: 'https' as const });
  }
  if (env.DOCKER_API_VERSION) options.version = `v${env.DOCKER_API_VERSION.replace(/^v/, '')}`;
  return new Docker(options);
}
