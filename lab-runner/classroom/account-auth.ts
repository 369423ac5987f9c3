// Account sessions, email + password and single sign-on through better-auth (AUTH=accounts|oidc; never built with
// AUTH=anonymous). better-auth owns its tables (auth_user, auth_account, auth_session, auth_verification) in the
// platform's SQLite file and creates them with its own migrator at start-up; our `users` table keeps the classroom
// profile (role, learner id) under the same id. Passwords stay argon2id (lib/auth/password.ts) through its hash hooks.
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import { NodeSqliteDialect } from '@better-auth/kysely-adapter/node-sqlite-dialect';
import type { Config } from '../../lib/config.ts';
import { createLogger } from '../../lib/log.ts';
import { hashPassword, verifyPassword } from '../../lib/auth/password.ts';
import { deriveKey, getSessionSecret } from '../../lib/learner/session-secret.ts';
import { readLearnerId } from '../../lib/learner/get-learner.ts';
import { AUTH_TABLES, SSO_PROVIDER_ID } from './auth-tables.ts';

const log = createLogger('auth');

/** The better-auth cookies are "pw.session_token", "pw.state", …: one prefix for everything the site sets. */
export const AUTH_COOKIE_PREFIX = 'pw';
export const AUTH_BASE_PATH = '/api/auth';

/** What better-auth's hooks tell the classroom: a user appeared, or signed in (with the anonymous learner behind the browser). */
export interface AccountEvents {
  userCreated(user: { id: string; email: string; name: string }, anonymousLearnerId: string | undefined): void;
  signedIn(userId: string, anonymousLearnerId: string | undefined): Promise<void>;
}

/** Where the provider sends the browser back: the one URL to register at the provider. */
export function ssoCallbackUrl(publicUrl: string): string {
  return new URL(`${AUTH_BASE_PATH}/callback/${SSO_PROVIDER_ID}`, publicUrl).href;
}

export function ssoConfigured(config: Pick<Config, 'AUTH' | 'OIDC_ISSUER'>): boolean {
  return config.AUTH === 'oidc' || (config.AUTH === 'accounts' && config.OIDC_ISSUER !== undefined);
}

/** `sso: false` leaves the provider out (npm run admin: the shell needs no provider reachable). */
export interface AuthBuildOptions {
  sso?: boolean;
}

function authOptions(config: Config, db: DatabaseSync, events: AccountEvents, build: AuthBuildOptions) {
  const sso = (build.sso ?? true) && ssoConfigured(config);
  const anonymousIn = (headers: Headers | undefined) => readLearnerId(headers?.get('cookie'), config);
  return {
    appName: 'packetwalk',
    // A key of its own, derived from the one session secret (lib/learner/session-secret.ts): signs the session cookie.
    secret: deriveKey(getSessionSecret(config), 'account-session').toString('base64url'),
    ...(config.PUBLIC_URL ? { baseURL: config.PUBLIC_URL } : {}),
    basePath: AUTH_BASE_PATH,
    trustedOrigins: [...(config.PUBLIC_URL ? [new URL(config.PUBLIC_URL).origin] : []), ...(config.ALLOWED_ORIGINS ?? [])],
    // The platform's connection, shared with the engine, without better-auth transactions: its deferred BEGIN held
    // across password hashing would take the engine's writes into (and roll them back with) its own. Each statement
    // commits alone (the price: a crash in the middle of a sign-up can leave a user without its password row).
    database: { dialect: new NodeSqliteDialect({ database: db }), type: 'sqlite', transaction: false },
    telemetry: { enabled: false },
    // Into our log: a wrong password is routine (debug); what better-auth calls an error stays one.
    logger: {
      log: (level, message, ...args) => {
        const fields = args.length ? { detail: args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ') } : undefined;
        if (level === 'error') log.error(message, fields);
        else log.debug(message, fields);
      },
    },
    // Logins are limited by the classroom (per address and per email, LOGIN_ATTEMPTS_PER_MINUTE): one limiter, tested.
    rateLimit: { enabled: false },
    emailAndPassword: {
      enabled: config.AUTH === 'accounts',
      minPasswordLength: 10,
      maxPasswordLength: 256,
      autoSignIn: true,
      password: { hash: hashPassword, verify: ({ hash, password }) => verifyPassword(hash, password) },
    },
    user: { modelName: AUTH_TABLES.user },
    account: {
      modelName: AUTH_TABLES.account,
      // An SSO sign-in joins an existing account with the same email only when the provider vouches for the address
      // (email_verified): the account an admin made from the shell before its first single sign-on.
      accountLinking: { enabled: true, trustedProviders: [] },
    },
    verification: { modelName: AUTH_TABLES.verification },
    session: {
      modelName: AUTH_TABLES.session,
      expiresIn: Math.max(60, Math.floor(config.SESSION_TTL / 1000)),
      // A fixed lifetime (SESSION_TTL) and no cookie cache: every request reads the session row, so a revoked one
      // (sign-out, role change) stops working on the next request.
      disableSessionRefresh: true,
      cookieCache: { enabled: false },
    },
    advanced: {
      cookiePrefix: AUTH_COOKIE_PREFIX,
      // The Secure attribute follows the request (https or not) like the learner cookie's: the site adds it per answer.
      useSecureCookies: false,
      // Class routes take user ids as UUIDs.
      database: { generateId: () => randomUUID() },
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user, ctx) => {
            events.userCreated({ id: user.id, email: user.email, name: user.name }, anonymousIn(ctx?.headers ?? ctx?.request?.headers));
          },
        },
      },
      session: {
        create: {
          after: async (session, ctx) => {
            await events.signedIn(session.userId, anonymousIn(ctx?.headers ?? ctx?.request?.headers));
          },
        },
      },
    },
    plugins: sso
      ? [
          genericOAuth({
            config: [
              {
                providerId: SSO_PROVIDER_ID,
                discoveryUrl: new URL('.well-known/openid-configuration', config.OIDC_ISSUER!.replace(/\/?$/, '/')).href,
                clientId: config.OIDC_CLIENT_ID!,
                clientSecret: config.OIDC_CLIENT_SECRET!,
                scopes: ['openid', 'email', 'profile'],
                pkce: true,
                requireIdTokenVerification: true,
              },
            ],
          }),
        ]
      : [],
  } satisfies BetterAuthOptions;
}

export type AccountAuth = ReturnType<typeof buildAuth>;

function buildAuth(config: Config, db: DatabaseSync, events: AccountEvents, build: AuthBuildOptions = {}) {
  return betterAuth(authOptions(config, db, events, build));
}

/** Builds better-auth for this configuration and brings its tables up to date (its own migrator). */
export async function createAccountAuth(config: Config, db: DatabaseSync, events: AccountEvents, build: AuthBuildOptions = {}): Promise<AccountAuth> {
  if (config.AUTH === 'anonymous') throw new Error('AUTH=anonymous has no accounts: no better-auth instance is built.');
  const { runMigrations } = await getMigrations(authOptions(config, db, events, build));
  await runMigrations();
  return buildAuth(config, db, events, build);
}
