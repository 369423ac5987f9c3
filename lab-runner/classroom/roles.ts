// Who may do what in a classroom. One union, checked by the service (never by the routes alone).
export const ROLES = ['learner', 'trainer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Account {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The id labs and progress are kept under: the anonymous learner id the account adopted at its first sign-in. */
  learnerId: string;
  /** How the account signs in. */
  kind: 'password' | 'oidc';
}

/** Trainers and admins create classes; admins see every class. */
export function canTeach(a: Account): boolean {
  return a.role === 'trainer' || a.role === 'admin';
}
