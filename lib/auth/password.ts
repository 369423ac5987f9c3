// Password hashing: argon2id through @node-rs/argon2 (prebuilt binaries, no install script). The hash is a PHC string
// carrying its own parameters, so they can be raised later without invalidating existing hashes.
import { hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id minimum (19 MiB, 2 passes): ~30 ms here, cheap enough for a class signing in at once. */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false; // a malformed stored hash opens nothing
  }
}

/** Verifying against this when the email is unknown keeps the answer's timing the same as for a wrong password. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword('packetwalk-timing-equaliser'));
}
