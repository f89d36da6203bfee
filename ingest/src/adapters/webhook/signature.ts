// HMAC-SHA256 signature of a webhook body, sent as `X-Floorwatch-Signature: sha256=<hex>`,
// and its constant-time check (what a receiver does; used by our tests and documented for
// routing-system integrators).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Floorwatch-Signature';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const ATTEMPT_HEADER = 'X-Floorwatch-Attempt';

export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifySignature(
  body: string | Buffer,
  secret: string,
  header: string | undefined | null,
): boolean {
  if (!header) return false;
  const want = Buffer.from(signBody(body, secret));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}
