/**
 * A message as the Graph mailbox import API wants it: MAPI properties, recipient rows, attachments
 * (one level of which may hold an embedded message), independent of where the properties came from.
 */

/** A named property's key ([MS-OXCDATA] 2.6.1 PropertyName): property set GUID plus a LID or a name. */
export interface FtsPropertyName {
  /** Registry form, e.g. 00062008-0000-0000-C000-000000000046. */
  guid: string;
  lid?: number;
  name?: string;
}

/**
 * One value by its PropertyType ([MS-OXCDATA] 2.11.1): numbers for 16/32-bit integers, floats, error codes
 * and PtypFloatingTime; bigint for PtypInteger64, PtypCurrency and PtypTime (FILETIME ticks); boolean;
 * string for PtypString; Buffer for PtypString8 (bytes in the item's code page), PtypBinary, PtypServerId
 * and PtypGuid (16 bytes, wire order).
 */
export type FtsScalar = number | bigint | boolean | string | Buffer;

export interface FtsProperty {
  /** Property id (0x8000 and above: a named property, then `name` is required). */
  id: number;
  /** PropertyType, 0x1000 set for multi-valued types. */
  type: number;
  name?: FtsPropertyName;
  value: FtsScalar | FtsScalar[];
}

export interface FtsAttachment {
  properties: FtsProperty[];
  /** The message inside an attachment of method afEmbeddedMessage (5). */
  embedded?: FtsMessage;
}

export interface FtsMessage {
  /** A folder-associated (hidden) message: StartFAIMsg instead of StartMessage. */
  associated?: boolean;
  properties: FtsProperty[];
  recipients: FtsProperty[][];
  attachments: FtsAttachment[];
}

/** Markers of [MS-OXCFXICS] 2.2.4.1.4 used in message content. */
export const ftsMarker = {
  newAttach: 0x40000003,
  startEmbed: 0x40010003,
  endEmbed: 0x40020003,
  startRecip: 0x40030003,
  endToRecip: 0x40040003,
  startMessage: 0x400c0003,
  endMessage: 0x400d0003,
  endAttach: 0x400e0003,
  startFaiMsg: 0x40100003,
} as const;

/** PidTagAttachNumber, which [MS-OXCFXICS] 2.2.4.3.1 (attachment) puts right after NewAttach. */
export const pidTagAttachNumber = 0x0e210003;
