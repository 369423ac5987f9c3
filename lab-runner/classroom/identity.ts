// Signing in and out: email + password (AUTH=accounts) or single sign-on (AUTH=oidc), through better-auth
// (account-auth.ts), which keeps the sessions. Here: which mode allows what, the sign-in rate limit (per client address
// and per email), better-auth's errors turned into our closed codes, and the classroom profile its hooks ask for.
// The anonymous learner who signs in keeps their labs and progress: a new account adopts their learner id, an
// existing one takes their rows over (AccountStore.mergeAnonymous).
import type { Config } from '../../lib/config.ts';
import type { SignedInAccount } from '../../lib/auth/account-handle.ts';
import { isAPIError } from 'better-auth/api';
import { RateLimiter } from '../terminal/rate-limit.ts';
import type { AccountStore } from './account-store.ts';
import { createLogger } from '../../lib/log.ts';
import { createAccountAuth, ssoCallbackUrl, ssoConfigured, type AccountAuth, type AccountEvents, type AuthBuildOptions } from './account-auth.ts';
import { PASSWORD_PROVIDER_ID, SSO_PROVIDER_ID } from './auth-tables.ts';
import { ClassroomError } from './classroom-error.ts';
import type { Account } from './roles.ts';

const log = createLogger('classroom');

/** A sign-in (or out) that happened: the account, and the cookies better-auth set for this browser. */
export interface SignedIn {
  account: Account;
  setCookies: string[];
}

/** Where single sign-on failures land: the sign-in page shows better-auth's error code from the query. */
const SSO_ERROR_PAGE = '/signin';

export class Identity {
  readonly #accounts: AccountStore;
  readonly #config: Config;
  readonly #byClient: RateLimiter;
  readonly #byEmail: RateLimiter;
  readonly #sso: boolean;
  /** better-auth; undefined with AUTH=anonymous (nothing is built then) and until start(). */
  #auth: AccountAuth | undefined;

  constructor(accounts: AccountStore, config: Config) {
    this.#accounts = accounts;
    this.#config = config;
    this.#sso = ssoConfigured(config);
    this.#byClient = new RateLimiter(config.LOGIN_ATTEMPTS_PER_MINUTE, 60_000);
    this.#byEmail = new RateLimiter(config.LOGIN_ATTEMPTS_PER_MINUTE, 60_000);
  }

  get mode(): Config['AUTH'] {
    return this.#config.AUTH;
  }

  /** Single sign-on is on (AUTH=oidc, or AUTH=accounts with OIDC_* set). */
  get sso(): boolean {
    return this.#sso;
  }

  /** Builds better-auth and its tables (AUTH=accounts|oidc). Idempotent. */
  async start(db: Parameters<typeof createAccountAuth>[1], build?: AuthBuildOptions): Promise<void> {
    if (this.#config.AUTH === 'anonymous' || this.#auth) return;
    this.#auth = await createAccountAuth(this.#config, db, this.#events(), build);
  }

  /** Single sign-on: whether better-auth could read the provider's configuration (logged loudly when not). */
  async checkSso(): Promise<boolean> {
    if (!this.#sso || !this.#auth) return false;
    const ctx = await this.#auth.$context;
    if (ctx.socialProviders.some((p) => p.id === SSO_PROVIDER_ID)) {
      log.info('single sign-on ready', {
        issuer: this.#config.OIDC_ISSUER,
        callbackUrl: this.#config.PUBLIC_URL ? ssoCallbackUrl(this.#config.PUBLIC_URL) : undefined,
      });
      return true;
    }
    log.error('single sign-on is not working', {
      error: `OIDC_ISSUER=${this.#config.OIDC_ISSUER}: cannot read its OpenID configuration (sign-ins will retry)`,
    });
    return false;
  }

  get #ba(): AccountAuth {
    if (!this.#auth) throw new ClassroomError('auth-mode', 'Accounts are not enabled on this site (AUTH=anonymous).');
    return this.#auth;
  }

  #events(): AccountEvents {
    return {
      userCreated: (user, anonymousLearnerId) => {
        if (this.#accounts.byId(user.id)) return;
        this.#accounts.create({
          id: user.id,
          email: user.email.toLowerCase(),
          name: user.name || user.email,
          role: 'learner',
          ...(anonymousLearnerId ? { adoptLearnerId: anonymousLearnerId } : {}),
        });
      },
      signedIn: async (userId, anonymousLearnerId) => {
        const account = this.#accounts.byId(userId);
        if (account && anonymousLearnerId) this.#accounts.mergeAnonymous(account, anonymousLearnerId);
      },
    };
  }

  #needMode(mode: 'accounts' | 'oidc'): void {
    if (mode === 'oidc' && this.#sso) return;
    if (this.#config.AUTH !== mode)
      throw new ClassroomError(
        'auth-mode',
        mode === 'accounts'
          ? 'This site does not use passwords (AUTH is not "accounts").'
          : 'Single sign-on is not configured on this site (AUTH is not "oidc").',
      );
  }

  #limit(client: string, email?: string): void {
    const okClient = this.#byClient.allow(client);
    const okEmail = email === undefined || this.#byEmail.allow(email.toLowerCase());
    if (!okClient || !okEmail) throw new ClassroomError('rate-limited', 'Too many sign-in attempts; wait a minute and try again.');
  }

  async register(input: { email: string; name: string; password: string; client: string; headers: Headers }): Promise<SignedIn> {
    this.#needMode('accounts');
    this.#limit(input.client, input.email);
    const { headers, response } = await this.#call(() =>
      this.#ba.api.signUpEmail({ body: { email: input.email, name: input.name, password: input.password }, headers: input.headers, returnHeaders: true }),
    );
    return { account: this.#profile(response.user.id), setCookies: headers.getSetCookie() };
  }

  async login(input: { email: string; password: string; client: string; headers: Headers }): Promise<SignedIn> {
    this.#needMode('accounts');
    this.#limit(input.client, input.email);
    const { headers, response } = await this.#call(() =>
      this.#ba.api.signInEmail({ body: { email: input.email, password: input.password }, headers: input.headers, returnHeaders: true }),
    );
    return { account: this.#profile(response.user.id), setCookies: headers.getSetCookie() };
  }

  /** The provider URL to send the browser to (code flow, PKCE, state bound to this browser by a signed cookie). */
  async startSso(input: { returnTo: string; client: string; headers: Headers }): Promise<{ url: string; setCookies: string[] }> {
    this.#needMode('oidc');
    this.#limit(input.client);
    const { headers, response } = await this.#call(() =>
      this.#ba.api.signInSocial({
        body: { provider: SSO_PROVIDER_ID, callbackURL: input.returnTo, errorCallbackURL: SSO_ERROR_PAGE, disableRedirect: true },
        headers: input.headers,
        returnHeaders: true,
      }),
    ).catch((err: unknown) => {
      // better-auth retried the provider's discovery and still has no provider: say what the operator must look at.
      if (err instanceof ClassroomError && err.code === 'class-invalid')
        throw new ClassroomError('class-invalid', `Single sign-on is not available: ${this.#config.OIDC_ISSUER} cannot be read right now. Try again later.`);
      throw err;
    });
    if (!response.url) throw new ClassroomError('auth-mode', 'The sign-in provider gave no address to go to.');
    return { url: response.url, setCookies: headers.getSetCookie() };
  }

  /** better-auth's own answer for the paths it must own (the provider's callback). */
  async handle(request: Request): Promise<Response> {
    this.#needMode('oidc');
    return this.#ba.handler(request);
  }

  /** Ends this browser's session server-side; the cookies to clear it. */
  async logout(headers: Headers): Promise<string[]> {
    if (!this.#auth) return [];
    const res = await this.#call(() => this.#ba.api.signOut({ headers, returnHeaders: true }));
    return res.headers.getSetCookie();
  }

  /** The signed-in account behind a request's cookies; undefined for none, a forged, an expired or a revoked session. */
  async accountFor(headers: Headers): Promise<SignedInAccount | undefined> {
    if (!this.#auth) return undefined;
    const session = await this.#auth.api.getSession({ headers, query: { disableCookieCache: true, disableRefresh: true } }).catch(() => null);
    const account = session ? this.#accounts.byId(session.user.id) : undefined;
    return account ? { id: account.id, email: account.email, name: account.name, role: account.role, learnerId: account.learnerId } : undefined;
  }

  /** Sign-out everywhere (a role change): every session of the account stops working at its next request. */
  async signOutEverywhere(userId: string): Promise<void> {
    if (!this.#auth) return;
    const ctx = await this.#auth.$context;
    await ctx.internalAdapter.deleteUserSessions(userId);
  }

  /** For `npm run admin`: a user (and its password, with AUTH=accounts) made from the trusted shell. */
  async createFromShell(input: { email: string; name: string; password?: string }): Promise<Account> {
    const ctx = await this.#ba.$context;
    const user = await ctx.internalAdapter.createUser({ email: input.email.toLowerCase(), name: input.name, emailVerified: true }, { method: 'admin' });
    if (input.password !== undefined)
      await ctx.internalAdapter.linkAccount({
        userId: user.id,
        providerId: PASSWORD_PROVIDER_ID,
        accountId: user.id,
        password: await ctx.password.hash(input.password),
      });
    return this.#profile(user.id);
  }

  #profile(userId: string): Account {
    const account = this.#accounts.byId(userId);
    if (!account) throw new ClassroomError('unauthenticated', 'The account has no classroom profile; sign in again.');
    return account;
  }

  /** Runs a better-auth call, turning its errors into the classroom's closed codes. */
  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!isAPIError(err)) throw err;
      const code = typeof err.body?.code === 'string' ? err.body.code : '';
      if (code === 'INVALID_EMAIL_OR_PASSWORD' || err.statusCode === 401) throw new ClassroomError('bad-credentials', 'Wrong email or password.');
      if (code.startsWith('USER_ALREADY_EXISTS')) throw new ClassroomError('account-conflict', 'An account for this email exists already: sign in instead.');
      if (err.statusCode >= 500) throw err;
      throw new ClassroomError('class-invalid', err.message);
    }
  }
}
