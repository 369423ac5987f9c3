// How the learner lookup (lib/learner/get-learner.ts) learns about accounts without importing the engine: the
// classroom service registers a resolver here when AUTH is accounts or oidc. Route handlers are bundled apart from
// server.ts, so the hand-over goes through globalThis like the platform's.
export interface SignedInAccount {
  id: string;
  email: string;
  name: string;
  role: 'learner' | 'trainer' | 'admin';
  learnerId: string;
}

export interface AccountResolver {
  /** The account behind the session cookie in these headers (better-auth); undefined for none, a forged, expired or revoked one. */
  fromRequestHeaders(headers: Headers): Promise<SignedInAccount | undefined>;
  /** True when an account owns this learner id: an anonymous cookie naming it must not open it. */
  ownsLearnerId(learnerId: string): boolean;
}

const KEY = Symbol.for('packetwalk.account-resolver');
type Holder = { [KEY]?: AccountResolver };

export function setAccountResolver(resolver: AccountResolver | undefined): void {
  (globalThis as Holder)[KEY] = resolver;
}

export function getAccountResolver(): AccountResolver | undefined {
  return (globalThis as Holder)[KEY];
}
