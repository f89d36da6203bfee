// decode: splits an NDJSON body into numbered lines, checking UTF-8 and the line-length
// and batch-size limits per line, so one bad line never fails the good ones.
export interface NdjsonLimits {
  maxLineBytes: number;
  maxBatchLines: number;
}

export type DecodedLine = { line: number; text: string } | { line: number; error: string; raw: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

/**
 * Splits `body` on "\n" (a trailing "\r" is dropped); blank lines are skipped but still
 * counted, so line numbers match the producer's file. Lines past the batch limit are
 * rejected one by one with that reason.
 */
export function decodeNdjson(body: Uint8Array, limits: NdjsonLimits): DecodedLine[] {
  const out: DecodedLine[] = [];
  let start = 0;
  let lineNo = 0;
  let counted = 0;
  const n = body.length;
  while (start <= n) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = n;
    lineNo++;
    let stop = end;
    if (stop > start && body[stop - 1] === 0x0d) stop--;
    if (stop > start) {
      const bytes = body.subarray(start, stop);
      if (!isBlank(bytes)) {
        counted++;
        if (counted > limits.maxBatchLines) {
          out.push({ line: lineNo, error: `batch has more than ${limits.maxBatchLines} lines; send the rest in another batch`, raw: preview(bytes) });
        } else if (bytes.length > limits.maxLineBytes) {
          out.push({ line: lineNo, error: `line is ${bytes.length} bytes, longer than the limit of ${limits.maxLineBytes} bytes`, raw: preview(bytes) });
        } else {
          try {
            out.push({ line: lineNo, text: utf8.decode(bytes) });
          } catch {
            out.push({ line: lineNo, error: 'line is not valid UTF-8', raw: lossy.decode(bytes) });
          }
        }
      }
    }
    if (end === n) break;
    start = end + 1;
  }
  return out;
}

function isBlank(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Over-long lines are kept in the dead-letter table only up to this many bytes. */
const PREVIEW_BYTES = 4096;
function preview(b: Uint8Array): string {
  return lossy.decode(b.subarray(0, PREVIEW_BYTES));
}
