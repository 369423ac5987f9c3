// The names of better-auth's tables in our SQLite file (prefixed so they read apart from the platform's own) and the
// provider id of single sign-on, which is part of its callback URL (/api/auth/callback/oidc).
export const AUTH_TABLES = { user: 'auth_user', account: 'auth_account', session: 'auth_session', verification: 'auth_verification' } as const;

/** better-auth's provider id for the password of an account (rows in auth_account). */
export const PASSWORD_PROVIDER_ID = 'credential';
export const SSO_PROVIDER_ID = 'oidc';
