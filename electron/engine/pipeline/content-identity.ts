import { createHash } from 'node:crypto';

import type { SourceItem } from '../model/items.js';

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Canonical bytes of a typed item (contact, event...): the same content always hashes the same. */
export function canonicalContent(item: Exclude<SourceItem, { kind: 'mail' }>): string {
  const payload =
    item.kind === 'contact'
      ? item.contact
      : item.kind === 'distlist'
        ? item.list
        : item.kind === 'event'
          ? item.event
          : item.kind === 'task'
            ? item.task
            : item.kind === 'autocomplete'
              ? item.entry
              : item.note;
  return JSON.stringify(payload, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      // Sorted keys: two sources that build the same fields in another order still match.
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return value;
  });
}

/**
 * The identity that catches the same message arriving twice under different source keys (two PSTs of
 * one POP mailbox, a changed IMAP UIDVALIDITY): Message-ID + date + size, as imapsync and Microsoft's
 * PST import do; the body hash when the message has no Message-ID or date.
 */
export function mailDedupKey(messageId: string | undefined, sentAt: Date | undefined, size: number, contentHash: string): string {
  const id = messageId?.trim();
  if (id && sentAt && !Number.isNaN(sentAt.getTime())) {
    return `mid:${sha256(`${id}\n${sentAt.toISOString()}\n${size}`)}`;
  }
  return `body:${contentHash}`;
}
