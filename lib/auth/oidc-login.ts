// Single sign-on with any OpenID Connect provider through openid-client: discovery at start-up, the authorization
// code flow with PKCE, state and nonce. A login in flight is remembered server-side by its state for ten minutes
// (one process serves the site); the browser carries the state in a short-lived cookie, so a callback can only
// finish the login that the same browser started (no login CSRF).
import * as oidc from 'openid-client';

const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;
export const OIDC_STATE_COOKIE = 'pw_oidc';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

interface Pending {
  verifier: string;
  nonce: string;
  redirectUri: string;
  returnTo: string;
  /** The anonymous learner who started signing in: their progress goes to the account. */
  anonymousLearnerId?: string;
  at: number;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string;
  name: string;
  returnTo: string;
  anonymousLearnerId?: string;
}

/** Loopback issuers (tests, a provider on the same machine) may use http; everything else must be https. */
function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}

export class OidcLogin {
  readonly #settings: OidcSettings;
  #config: Promise<oidc.Configuration> | undefined;
  readonly #pending = new Map<string, Pending>();

  constructor(settings: OidcSettings) {
    this.#settings = settings;
  }

  get issuer(): string {
    return this.#settings.issuer;
  }

  /** Reads the provider's discovery document; rejects with a message naming OIDC_ISSUER when it cannot. */
  discover(): Promise<oidc.Configuration> {
    this.#config ??= (async () => {
      const url = new URL(this.#settings.issuer);
      try {
        return await oidc.discovery(
          url,
          this.#settings.clientId,
          this.#settings.clientSecret,
          undefined,
          isLoopback(url) ? { execute: [oidc.allowInsecureRequests] } : undefined,
        );
      } catch (err) {
        this.#config = undefined; // try again at the next sign-in
        throw new Error(`OIDC_ISSUER=${this.#settings.issuer}: cannot read its OpenID configuration (${err instanceof Error ? err.message : String(err)})`, {
          cause: err,
        });
      }
    })();
    return this.#config;
  }

  /** The provider URL to send the browser to, and the state to keep in its cookie. */
  async begin(args: { redirectUri: string; returnTo: string; anonymousLearnerId?: string; now?: number }): Promise<{ url: string; state: string }> {
    const config = await this.discover();
    const now = args.now ?? Date.now();
    this.#sweep(now);
    if (this.#pending.size >= MAX_PENDING) throw new Error('Too many sign-ins in progress; try again in a minute.');
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    this.#pending.set(state, {
      verifier,
      nonce,
      redirectUri: args.redirectUri,
      returnTo: args.returnTo,
      ...(args.anonymousLearnerId ? { anonymousLearnerId: args.anonymousLearnerId } : {}),
      at: now,
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: args.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Finishes the login the callback URL belongs to: checks state (against the browser's cookie), exchanges the code
   * (PKCE), validates the ID token (issuer, audience, nonce, signature) and returns who signed in.
   */
  async finish(callbackUrl: URL, cookieState: string | undefined, now = Date.now()): Promise<OidcIdentity> {
    const state = callbackUrl.searchParams.get('state') ?? '';
    const pending = this.#pending.get(state);
    if (!pending || !cookieState || cookieState !== state || now - pending.at > PENDING_TTL_MS)
      throw new Error('This sign-in link is not valid any more (expired, used, or started in another browser). Sign in again.');
    this.#pending.delete(state); // single use
    const config = await this.discover();
    // The token endpoint must see the redirect URI the browser was sent with, whatever Host header the callback had.
    const current = new URL(pending.redirectUri);
    current.search = callbackUrl.search;
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('The provider sent no ID token.');
    let email = typeof claims.email === 'string' ? claims.email : undefined;
    let name = typeof claims.name === 'string' ? claims.name : undefined;
    if (!email || !name) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      email ??= typeof info.email === 'string' ? info.email : undefined;
      name ??= typeof info.name === 'string' ? info.name : undefined;
    }
    if (!email) throw new Error('The provider did not share an email address; allow the "email" scope for packetwalk.');
    return {
      issuer: String(claims.iss),
      subject: claims.sub,
      email,
      name: name ?? email,
      returnTo: pending.returnTo,
      ...(pending.anonymousLearnerId ? { anonymousLearnerId: pending.anonymousLearnerId } : {}),
    };
  }

  #sweep(now: number): void {
    for (const [k, p] of this.#pending) if (now - p.at > PENDING_TTL_MS) this.#pending.delete(k);
  }
}
