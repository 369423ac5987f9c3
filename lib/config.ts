// Every environment variable packetwalk reads, validated once. Messages name the variable and what would be valid.
import { z } from 'zod';
import path from 'node:path';
import { parseCidr } from './net/cidr.ts';
import { parseDiskLimit } from './disk-limit.ts';

// Durations use .prefault (zod 4): the default string is parsed like user input, so it becomes milliseconds too.
const duration = (name: string) =>
  z
    .string()
    .regex(/^\d+(ms|s|m|h)$/, { message: `${name} must be a duration such as 500ms, 30s, 5m or 2h` })
    .transform((v) => {
      const n = Number.parseInt(v, 10);
      const unit = v.replace(/^\d+/, '');
      return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[unit as 'ms' | 's' | 'm' | 'h'];
    });

const int = (name: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${name} must be a whole number` })
    .int({ message: `${name} must be a whole number` })
    .min(min, { message: `${name} must be at least ${min}` })
    .max(max, { message: `${name} must be at most ${max}` });

export const configSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int('PORT', 1, 65535).default(3000),
  /** Where SQLite and other state live. */
  DATA_DIR: z.string().min(1).default(path.join(process.cwd(), 'data')),
  /** Secret for signing learner cookies and terminal tickets. Generated and stored in DATA_DIR when unset. */
  SESSION_SECRET: z.string().min(32, { message: 'SESSION_SECRET must be at least 32 characters' }).optional(),
  /** Origins allowed to open terminal WebSockets, comma-separated. Defaults to the site's own origin. */
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined,
    ),
  LAB_MAX_TOTAL: int('LAB_MAX_TOTAL', 1, 10_000).default(40),
  LAB_MAX_PER_LEARNER: int('LAB_MAX_PER_LEARNER', 1, 100).default(2),
  /** Labs one client (a signed-in account, else a network address) may hold at once. Default: half of LAB_MAX_TOTAL. */
  LAB_MAX_PER_CLIENT: int('LAB_MAX_PER_CLIENT', 1, 10_000).optional(),
  /** The last free slots go only to clients holding no lab yet. Default: a tenth of LAB_MAX_TOTAL, at least 1. */
  LAB_RESERVED_SLOTS: int('LAB_RESERVED_SLOTS', 0, 10_000).optional(),
  /**
   * Reverse proxies whose X-Forwarded-For (and -Proto, -Host) is believed, comma-separated addresses or CIDRs (e.g.
   * "127.0.0.1,10.0.0.0/8"). Unset: the client address is the TCP peer's, and the scheme the connection's.
   */
  TRUSTED_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const entries = (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const e of entries) {
        if (!parseCidr(e)) ctx.addIssue({ code: 'custom', message: `TRUSTED_PROXY entry "${e}" is not an IPv4/IPv6 address or CIDR such as 10.0.0.0/8` });
      }
      return entries;
    }),
  /** Terminal shells (docker exec streams) the server keeps at once, across all learners. */
  TERMINAL_MAX_SESSIONS: int('TERMINAL_MAX_SESSIONS', 1, 100_000).default(400),
  LAB_HARD_EXPIRY: duration('LAB_HARD_EXPIRY').prefault('4h'),
  LAB_IDLE_PAUSE: duration('LAB_IDLE_PAUSE').prefault('15m'),
  LAB_IDLE_DESTROY: duration('LAB_IDLE_DESTROY').prefault('2h'),
  /** The longest a lab may live from its creation when the learner extends it (Extend); at least LAB_HARD_EXPIRY. */
  LAB_MAX_LIFETIME: duration('LAB_MAX_LIFETIME').prefault('8h'),
  /** Refuse new labs when the Docker host has less free memory than this (MiB). */
  LAB_MIN_FREE_MEMORY_MB: int('LAB_MIN_FREE_MEMORY_MB', 0, 1_000_000).default(512),
  /** Warm labs kept ready per template, e.g. "nodes-2=1,nodes-1=0". */
  WARM_POOL: z
    .string()
    .default('nodes-2=1')
    .refine((v) => v === '' || /^([a-z0-9-]+=\d+)(,[a-z0-9-]+=\d+)*$/.test(v), {
      message: 'WARM_POOL must look like "nodes-2=1,kind-default=0"',
    })
    .transform(
      (v) =>
        Object.fromEntries(
          v
            .split(',')
            .filter(Boolean)
            .map((pair) => {
              const [name, n] = pair.split('=');
              return [name!, Number(n)];
            }),
        ) as Record<string, number>,
    ),
  REAPER_INTERVAL: duration('REAPER_INTERVAL').prefault('60s'),
  /** IPv4 range lab networks get their subnets from ("docker" = Docker's default pools, which hold only ~30 networks). */
  LAB_SUBNET_POOL: z
    .string()
    .regex(/^(docker|\d+\.\d+\.\d+\.\d+\/\d{1,2})$/, { message: 'LAB_SUBNET_POOL must be an IPv4 CIDR such as 10.200.0.0/16, or "docker"' })
    .default('10.200.0.0/16'),
  /** Prefix length of each lab network's subnet inside LAB_SUBNET_POOL (/27 = 30 addresses). */
  LAB_SUBNET_PREFIX: int('LAB_SUBNET_PREFIX', 16, 29).default(27),
  GRADER_INTERVAL: duration('GRADER_INTERVAL').prefault('3s'),
  TERMINAL_GRACE: duration('TERMINAL_GRACE').prefault('5m'),
  /** Container runtime for lab nodes (HostConfig.Runtime), e.g. sysbox-runc on shared hosts. */
  LAB_RUNTIME: z
    .string()
    .regex(/^[a-z0-9._-]+$/, { message: 'LAB_RUNTIME must be a runtime name such as runc or sysbox-runc' })
    .optional(),
  /**
   * How lab nodes are confined (lab-runner/isolation/). auto: the best the engine offers, and on a site listening
   * beyond loopback labs are refused unless that is confining; none: knowingly unconfined.
   */
  LAB_ISOLATION: z
    .enum(['auto', 'userns', 'sysbox', 'apparmor', 'none'], { message: 'LAB_ISOLATION must be one of auto, userns, sysbox, apparmor, none' })
    .default('auto'),
  /** Deadline for one Docker call (image builds and transfers excepted): a hung runc fails the lab instead of hanging it. */
  DOCKER_CALL_TIMEOUT: duration('DOCKER_CALL_TIMEOUT').prefault('60s'),
  /** Most a lab node may write to its own filesystem (lab-runner/isolation/disk-cap.ts): 512m, 1g, ... or none. */
  LAB_DISK_LIMIT: z
    .string()
    .regex(/^(none|\d+[kKmMgG]?)$/, { message: 'LAB_DISK_LIMIT must be a size such as 512m or 2g, or "none"' })
    .transform(parseDiskLimit)
    .prefault('1g'),
  /** Build missing sandbox images when the server starts. */
  BUILD_IMAGES_ON_START: z
    .enum(['true', 'false'], { message: 'BUILD_IMAGES_ON_START must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * Who learners are (#17): anonymous (default: a signed cookie per browser, nothing to configure), accounts (email and
   * password) or oidc (single sign-on through OIDC_ISSUER). Classes and the trainer dashboard need accounts or oidc.
   */
  AUTH: z.enum(['anonymous', 'accounts', 'oidc'], { message: 'AUTH must be one of anonymous, accounts, oidc' }).default('anonymous'),
  /** AUTH=oidc: the provider's issuer URL (its /.well-known/openid-configuration is read at start-up). */
  OIDC_ISSUER: z.url({ message: "OIDC_ISSUER must be the provider's issuer URL, e.g. https://accounts.google.com" }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The site's public origin as the browser sees it (https://labs.example.org). Required with single sign-on: the OIDC redirect URI is built from it. */
  PUBLIC_URL: z.url({ message: 'PUBLIC_URL must be an origin such as https://labs.example.org' }).optional(),
  /** How long a signed-in session lasts. */
  SESSION_TTL: duration('SESSION_TTL').prefault('12h'),
  /** A learner whose task check keeps failing the same way this long is shown as stuck on the trainer's dashboard. */
  CLASS_STUCK_AFTER: duration('CLASS_STUCK_AFTER').prefault('10m'),
  /** Sign-in attempts allowed per client address (and per email) per minute. */
  LOGIN_ATTEMPTS_PER_MINUTE: int('LOGIN_ATTEMPTS_PER_MINUTE', 1, 10_000).default(10),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { message: 'LOG_LEVEL must be one of debug, info, warn, error' }).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** Settings that only make sense together (AUTH=oidc needs its provider): issues in loadConfig's format. */
function crossFieldIssues(c: Config): { path: string; message: string }[] {
  const oidc = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
  // The provider sends browsers back to PUBLIC_URL + /api/auth/callback/oidc: the exact URL registered there.
  const publicUrl =
    c.PUBLIC_URL === undefined && (c.AUTH === 'oidc' || (c.AUTH === 'accounts' && c.OIDC_ISSUER))
      ? [{ path: 'PUBLIC_URL', message: 'PUBLIC_URL is required with single sign-on: the provider redirects to PUBLIC_URL/api/auth/callback/oidc' }]
      : [];
  if (c.AUTH === 'oidc')
    return [...oidc.filter((k) => !c[k]).map((k) => ({ path: k, message: `${k} is required when AUTH=oidc (see docs/classroom.md)` })), ...publicUrl];
  // AUTH=accounts may offer single sign-on beside passwords: then all three, or none.
  const set = oidc.filter((k) => c[k]);
  if (set.length === 0) return [];
  if (c.AUTH === 'anonymous') return set.map((k) => ({ path: k, message: `${k} has no effect with AUTH=anonymous: set AUTH=oidc (or accounts), or unset it` }));
  return [
    ...oidc.filter((k) => !c[k]).map((k) => ({ path: k, message: `${k} is required with ${set.join(', ')} (single sign-on beside passwords)` })),
    ...publicUrl,
  ];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse configuration from an environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(configSchema.shape);
  const picked = Object.fromEntries(known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  const result = configSchema.safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(env)'}: ${i.message} (got ${JSON.stringify(picked[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const cross = crossFieldIssues(result.data);
  if (cross.length > 0)
    throw new ConfigError(
      `Invalid configuration in the environment:\n${cross.map((i) => `  - ${i.path}: ${i.message} (got ${JSON.stringify(picked[i.path])})`).join('\n')}`,
    );
  return result.data;
}
