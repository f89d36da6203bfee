// Random credentials and their stored form. Tokens and session ids are 256 random bits, so
// a plain SHA-256 is a safe stored form (nothing to brute-force); passwords are low-entropy
// and go through argon2id (passwords.ts) instead.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret: `prefix` + 43 base64url characters (32 random bytes). */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function newId(): string {
  return randomBytes(6).toString('hex');
}

export function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Compares two secrets in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
