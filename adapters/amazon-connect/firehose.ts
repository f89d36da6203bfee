// Amazon Data Firehose's HTTP endpoint delivery contract (protocol 1.0): the request body
// `{"requestId","timestamp","records":[{"data":"<base64>"}]}`, possibly gzip-encoded, and
// the reply Firehose expects, `{"requestId","timestamp"}` with status 200, or with an
// `errorMessage` and another status (Firehose then retries, with the same request id).
import { gunzipSync } from 'node:zlib';
import { decodeRecords, type Decoded } from './records.js';

export interface FirehoseRequest {
  requestId: string;
  decoded: Decoded;
}

export class FirehoseError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The request id to echo: the body's, or the X-Amz-Firehose-Request-Id header's. */
export function requestIdOf(headers: Record<string, string>, body?: unknown): string {
  const b =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)['requestId']
      : undefined;
  return (typeof b === 'string' ? b : (headers['x-amz-firehose-request-id'] ?? '')).slice(0, 256);
}

export function parseFirehoseRequest(
  body: Buffer,
  headers: Record<string, string>,
  maxBytes: number,
): FirehoseRequest {
  let raw = body;
  if ((headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
    try {
      raw = gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (e) {
      throw new FirehoseError(400, `the gzip body cannot be read: ${(e as Error).message}`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new FirehoseError(400, `the body is not JSON: ${(e as Error).message}`);
  }
  const o = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (!Array.isArray(o['records']))
    throw new FirehoseError(
      400,
      'the body has no "records" array (a Firehose HTTP endpoint delivery request)',
    );
  return {
    requestId: requestIdOf(headers, value),
    decoded: decodeRecords({ records: o['records'] }),
  };
}

/** The reply body Firehose reads: the request id echoed and the time it was handled (epoch ms). */
export function firehoseReply(
  requestId: string,
  now: number,
  errorMessage?: string,
): Record<string, unknown> {
  return { requestId, timestamp: now, ...(errorMessage ? { errorMessage } : {}) };
}
