// Signing in and out: email + password (AUTH=accounts) or single sign-on (AUTH=oidc), one database session per
// sign-in. The anonymous learner who signs in keeps their labs and progress: a new account adopts their learner id,
// an existing one takes their rows over (AccountStore.mergeAnonymous). Sign-in attempts are rate-limited per client
// address and per email.
import type { Config } from '../../lib/config.ts';
import { dummyHash, hashPassword, verifyPassword } from '../../lib/auth/password.ts';
import type { OidcIdentity } from '../../lib/auth/oidc-login.ts';
import { RateLimiter } from '../terminal/rate-limit.ts';
import type { AccountStore } from './account-store.ts';
import { ClassroomError } from './classroom-error.ts';
import type { Account } from './roles.ts';

export interface SignedIn {
  account: Account;
  token: string;
  expiresAt: number;
}

export class Identity {
  readonly #accounts: AccountStore;
  readonly #config: Config;
  readonly #byClient: RateLimiter;
  readonly #byEmail: RateLimiter;
  readonly #sso: boolean;

  constructor(accounts: AccountStore, config: Config, sso: boolean) {
    this.#accounts = accounts;
    this.#config = config;
    this.#sso = sso;
    this.#byClient = new RateLimiter(config.LOGIN_ATTEMPTS_PER_MINUTE, 60_000);
    this.#byEmail = new RateLimiter(config.LOGIN_ATTEMPTS_PER_MINUTE, 60_000);
  }

  get mode(): Config['AUTH'] {
    return this.#config.AUTH;
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

  async register(input: { email: string; name: string; password: string; client: string; anonymousLearnerId?: string }): Promise<SignedIn> {
    this.#needMode('accounts');
    this.#limit(input.client, input.email);
    const passwordHash = await hashPassword(input.password);
    const account = this.#accounts.create({
      email: input.email,
      name: input.name,
      role: 'learner',
      passwordHash,
      ...(input.anonymousLearnerId ? { adoptLearnerId: input.anonymousLearnerId } : {}),
    });
    return this.#session(account);
  }

  async login(input: { email: string; password: string; client: string; anonymousLearnerId?: string }): Promise<SignedIn> {
    this.#needMode('accounts');
    this.#limit(input.client, input.email);
    const found = this.#accounts.passwordHash(input.email);
    // Unknown emails cost the same as wrong passwords, so timing does not tell which emails have accounts.
    const ok = await verifyPassword(found?.hash ?? (await dummyHash()), input.password);
    if (!found || !ok) throw new ClassroomError('bad-credentials', 'Wrong email or password.');
    if (input.anonymousLearnerId) this.#accounts.mergeAnonymous(found.account, input.anonymousLearnerId);
    return this.#session(found.account);
  }

  /** After the provider vouched for someone: their account (created on first sign-in), signed in. */
  signInWithOidc(who: OidcIdentity): SignedIn {
    this.#needMode('oidc');
    let account = this.#accounts.byOidc(who.issuer, who.subject);
    if (account) {
      if (who.anonymousLearnerId) this.#accounts.mergeAnonymous(account, who.anonymousLearnerId);
    } else {
      if (this.#accounts.byEmail(who.email))
        throw new ClassroomError('account-conflict', `An account for ${who.email} exists already, not linked to this provider; ask an admin.`);
      account = this.#accounts.create({
        email: who.email,
        name: who.name,
        role: 'learner',
        oidc: { issuer: who.issuer, subject: who.subject },
        ...(who.anonymousLearnerId ? { adoptLearnerId: who.anonymousLearnerId } : {}),
      });
    }
    return this.#session(account);
  }

  rateLimitOidc(client: string): void {
    this.#limit(client);
  }

  logout(token: string): void {
    this.#accounts.revokeSession(token);
  }

  #session(account: Account): SignedIn {
    const { token, expiresAt } = this.#accounts.createSession(account.id, this.#config.SESSION_TTL);
    return { account, token, expiresAt };
  }
}
