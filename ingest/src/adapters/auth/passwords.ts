// Password hashing with argon2id (the `argon2` package: the reference C implementation,
// prebuilt for Node). Parameters are the package's defaults (64 MiB, t=3, p=4), which the
// OWASP password storage guidance accepts; they are stored in each hash, so raising them
// later leaves old hashes verifiable.
import argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (!hash.startsWith('$argon2')) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A plain reason when a new password is too weak, or null. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string') return '"password" must be a string';
  if (password.length < MIN_PASSWORD_LENGTH)
    return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 256) return 'the password must be at most 256 characters';
  return null;
}
