import type { BodyChunk, DeferredChunk, RequestBody } from '../exchange/http-transport.js';
import { partPieces } from './mapping/large-parts.js';
import { attachmentJson, attachmentMeta, type GraphAttachment } from './mapping/mail.js';

/** Raw bytes per base64 piece: 48 KB in, 64 KB out, a multiple of 3 so pieces join without padding. */
const pieceBytes = 48 * 1024;

function base64Pieces(attachment: GraphAttachment): DeferredChunk[] {
  // Cut from the MIME with canonical base64: its own text goes out, never decoded.
  if (attachment.base64?.canonical) return partPieces(attachment.base64);
  const bytes = attachment.bytes;
  const pieces: DeferredChunk[] = [];
  for (let start = 0; start < bytes.length; start += pieceBytes) {
    const end = Math.min(bytes.length, start + pieceBytes);
    pieces.push({ bytes: Math.ceil((end - start) / 3) * 4, render: () => Buffer.from(bytes.subarray(start, end).toString('base64'), 'latin1') });
  }
  return pieces;
}

/**
 * A create body with its attachments deep-inserted, as chunks whose base64 is encoded piece by piece
 * while the transport writes it: the same bytes as JSON.stringify({ ...body, attachments }) (base64
 * needs no JSON escaping), without a whole base64 copy of any attachment (issue 15: 20 mailboxes each
 * held several such copies). `body` must not have an `attachments` key.
 */
export function messageRequestBody(body: Record<string, unknown>, attachments: readonly GraphAttachment[]): RequestBody {
  const head = JSON.stringify(body);
  if (attachments.length === 0) return { chunks: [head], bytes: Buffer.byteLength(head) };
  const chunks: BodyChunk[] = [`${head.slice(0, -1)}${head === '{}' ? '' : ','}"attachments":[`];
  attachments.forEach((attachment, index) => {
    const meta = JSON.stringify(attachmentMeta(attachment));
    chunks.push(`${index === 0 ? '' : ','}${meta.slice(0, -1)},"contentBytes":"`, ...base64Pieces(attachment), '"}');
  });
  chunks.push(']}');
  const bytes = chunks.reduce((sum, chunk) => sum + (typeof chunk === 'string' ? Buffer.byteLength(chunk) : Buffer.isBuffer(chunk) ? chunk.length : chunk.bytes), 0);
  return { chunks, bytes };
}

/** The same body as an object, for a $batch (small items only: the batch envelope is one JSON text). */
export function messageObject(body: Record<string, unknown>, attachments: readonly GraphAttachment[]): Record<string, unknown> {
  return attachments.length === 0 ? body : { ...body, attachments: attachments.map(attachmentJson) };
}
