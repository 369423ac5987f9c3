// The API server's host port, chosen the way kind chooses it: kind asks the OS for a free port on the listen
// address and publishes that exact port, instead of letting Docker pick one at start. A port Docker picked is
// picked again on every container start, so after a dockerd restart (or a reboot) the exported kubeconfig would
// point at a stale port; an explicit port survives. Like kind, the port can only be probed where the engine runs:
// with a remote DOCKER_HOST, Docker picks (and a restart can move it; docs/kind.md).
import net from 'node:net';

/** A free TCP port on address, as kind's GetFreePort finds one (listen on :0, read, close). */
export function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: address, port: 0, exclusive: true }, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** "" lets Docker choose; used when the engine is not on this machine. */
export async function apiServerHostPort(address: string, engineIsLocal: boolean): Promise<string> {
  if (!engineIsLocal) return '';
  // 0.0.0.0 / :: listen everywhere; a probe on the wildcard finds a port free on every address.
  return String(await freePort(address));
}

/** Docker's refusals when the chosen port was taken between the probe and the start (another lab, another program). */
export function isPortTaken(message: string): boolean {
  return /port is already allocated|address already in use/i.test(message);
}
