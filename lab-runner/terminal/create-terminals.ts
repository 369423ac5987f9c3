// The terminal gateway as the Platform builds it: ticket key derived from the session secret,
// grace period and allowed origins from config.
import type { Config } from '../../lib/config.ts';
import { deriveKey, getSessionSecret } from '../../lib/learner/session-secret.ts';
import { AddressSet } from '../../lib/net/cidr.ts';
import { clientAddress } from '../../lib/net/client-address.ts';
import { createLogger } from '../../lib/log.ts';
import { affordableSessions, openFileLimit } from './descriptor-budget.ts';
import { createTerminalGateway, type TerminalGateway, type TerminalGatewayOptions, type TerminalLabs } from './terminal-gateway.ts';

const log = createLogger('terminal');
const MAX_PENDING_UPGRADES = 64;
const MAX_DOCKER_CALLS = 32;

export function createTerminals(config: Config, labs: TerminalLabs, extra: Pick<TerminalGatewayOptions, 'onCommandDone'> = {}): TerminalGateway {
  const trusted = new AddressSet(config.TRUSTED_PROXY);
  const maxSessions = affordableSessions(config.TERMINAL_MAX_SESSIONS, MAX_PENDING_UPGRADES + MAX_DOCKER_CALLS);
  if (maxSessions < config.TERMINAL_MAX_SESSIONS) {
    log.warn('the open-file limit allows fewer terminals than TERMINAL_MAX_SESSIONS; raise "ulimit -n" to allow more', {
      configured: config.TERMINAL_MAX_SESSIONS,
      allowed: maxSessions,
      openFileLimit: openFileLimit(),
    });
  }
  return createTerminalGateway({
    clientAddress: (req) => clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted),
    maxSessions,
    maxPendingUpgrades: MAX_PENDING_UPGRADES,
    maxDockerCalls: MAX_DOCKER_CALLS,
    labs,
    ticketKey: deriveKey(getSessionSecret(config), 'terminal-ticket'),
    graceMs: config.TERMINAL_GRACE,
    allowedOrigins: config.ALLOWED_ORIGINS,
    publicUrl: config.PUBLIC_URL,
    ...extra,
  });
}
