// Published host ports (the API server's, extraPortMappings without a hostPort), chosen the way kind chooses them: kind asks the OS for a free port on the listen
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

/** Docker's refusals when the chosen port was taken between the probe and the start (another lab, another program). */
export function isPortTaken(message: string): boolean {
  return /port is already allocated|address already in use/i.test(message);
}

/**
 * Every published port left to Docker ("" host port: the API server's and extraPortMappings without hostPort) gets
 * a free port chosen now, as kind does for each mapping with port 0. Remote engine: left to Docker.
 */
export async function pinFreeHostPorts<T extends { hostIp: string; hostPort: string }>(bindings: T[], engineIsLocal: boolean): Promise<T[]> {
  if (!engineIsLocal) return bindings;
  const out: T[] = [];
  for (const b of bindings) out.push(b.hostPort ? b : { ...b, hostPort: String(await freePort(b.hostIp)) });
  return out;
}
