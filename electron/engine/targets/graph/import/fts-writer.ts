import { CloudwardError } from '../../../../contract/errors.js';

import { type FtsMessage, type FtsProperty, type FtsPropertyName, type FtsScalar, ftsMarker, pidTagAttachNumber } from './fts-model.js';

/**
 * Writes a message as a FastTransfer stream, [MS-OXCFXICS] 2.2.4 (message content, the syntax of
 * RopFastTransferSourceCopyMessages / the Graph importItem `Data`):
 *
 *   message          = (StartMessage / StartFAIMsg) messageContent EndMessage
 *   messageContent   = propList messageChildren
 *   messageChildren  = *recipient *attachment
 *   recipient        = StartRecip propList EndToRecip
 *   attachment       = NewAttach PidTagAttachNumber attachmentContent EndAttach
 *   attachmentContent= propList [embeddedMessage]
 *   embeddedMessage  = StartEmbed messageContent EndEmbed
 *
 * Lexical rules (2.2.4.1): every marker and property tag is a little-endian 32-bit word; fixed-size values
 * follow the tag directly (PtypBoolean as 2 bytes, PtypInteger16 as 2); variable-size values carry a 32-bit
 * byte length (strings include their terminator); multi-valued ones a 32-bit count, then each value as
 * above. A tag whose id is 0x8000 or more is followed by its name: the property set GUID, a kind byte
 * (0 = LID, a 32-bit number; 1 = name, UTF-16LE ending in a 16-bit zero). Cross-checked against a
 * production reader of the same syntax (grommunio/gromox exchange_emsmdb ftstream_parser.c).
 *
 * Not written: the unspecified prefix Graph and EWS put before the stream (README: open questions).
 */
export function writeMessageStream(message: FtsMessage): Buffer {
  const out = new StreamBuilder();
  out.u32(message.associated ? ftsMarker.startFaiMsg : ftsMarker.startMessage);
  writeContent(out, message, 0);
  out.u32(ftsMarker.endMessage);
  return out.finish();
}

/** Outlook refuses messages nested deeper than this; a deeper chain in a source is damage. */
const maxEmbeddingDepth = 32;

function writeContent(out: StreamBuilder, message: FtsMessage, depth: number): void {
  if (depth > maxEmbeddingDepth) throw new CloudwardError('FORMAT_INVALID', 'embedded messages nested too deep for a FastTransfer stream');
  for (const property of message.properties) writeProperty(out, property);
  for (const row of message.recipients) {
    out.u32(ftsMarker.startRecip);
    for (const property of row) writeProperty(out, property);
    out.u32(ftsMarker.endToRecip);
  }
  message.attachments.forEach((attachment, index) => {
    out.u32(ftsMarker.newAttach);
    const numbered = attachment.properties.find((p) => p.id === pidTagAttachNumber >>> 16 && p.type === 0x0003);
    writeProperty(out, numbered ?? { id: pidTagAttachNumber >>> 16, type: 0x0003, value: index });
    for (const property of attachment.properties) if (property !== numbered) writeProperty(out, property);
    if (attachment.embedded) {
      out.u32(ftsMarker.startEmbed);
      writeContent(out, attachment.embedded, depth + 1);
      out.u32(ftsMarker.endEmbed);
    }
    out.u32(ftsMarker.endAttach);
  });
}

const fixedSize: Record<number, number> = {
  0x0002: 2, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000a: 4, 0x000b: 2, 0x0014: 8, 0x0040: 8, 0x0048: 16,
};
const variable = new Set([0x001e, 0x001f, 0x0102, 0x00fb]);

export function isWritableType(type: number): boolean {
  const base = type & ~0x1000;
  if (type & 0x1000) return base in fixedSize || (base !== 0x00fb && variable.has(base));
  return base in fixedSize || variable.has(base);
}

function writeProperty(out: StreamBuilder, property: FtsProperty): void {
  const { id, type } = property;
  if (!isWritableType(type) || id < 0 || id > 0xffff) throw invalid(property, 'a type the stream cannot carry');
  out.u32(((id << 16) | type) >>> 0);
  if (id >= 0x8000) writeName(out, property);
  if (type & 0x1000) {
    if (!Array.isArray(property.value)) throw invalid(property, 'a single value for a multi-valued type');
    out.u32(property.value.length);
    for (const value of property.value) writeValue(out, property, type & ~0x1000, value);
  } else {
    if (Array.isArray(property.value)) throw invalid(property, 'several values for a single-valued type');
    writeValue(out, property, type, property.value);
  }
}

function writeName(out: StreamBuilder, property: FtsProperty): void {
  const name: FtsPropertyName | undefined = property.name;
  if (!name) throw invalid(property, 'a named property id without its name');
  out.bytes(guidBytes(name.guid));
  if (name.name !== undefined) {
    out.u8(1);
    out.bytes(Buffer.from(`${name.name}\0`, 'utf16le'));
  } else if (name.lid !== undefined) {
    out.u8(0);
    out.u32(name.lid >>> 0);
  } else {
    throw invalid(property, 'a name with neither a LID nor a string');
  }
}

function writeValue(out: StreamBuilder, property: FtsProperty, type: number, value: FtsScalar): void {
  const wrong = (): CloudwardError => invalid(property, `a ${typeof value} value`);
  switch (type) {
    case 0x0002:
      if (typeof value !== 'number') throw wrong();
      return out.fixed(2, (b) => b.writeInt16LE(value << 16 >> 16));
    case 0x0003:
    case 0x000a:
      if (typeof value !== 'number') throw wrong();
      return out.fixed(4, (b) => b.writeInt32LE(value | 0));
    case 0x0004:
      if (typeof value !== 'number') throw wrong();
      return out.fixed(4, (b) => b.writeFloatLE(value));
    case 0x0005:
    case 0x0007:
      if (typeof value !== 'number') throw wrong();
      return out.fixed(8, (b) => b.writeDoubleLE(value));
    case 0x0006:
    case 0x0014:
      if (typeof value !== 'bigint') throw wrong();
      return out.fixed(8, (b) => b.writeBigInt64LE(BigInt.asIntN(64, value)));
    case 0x0040:
      if (typeof value !== 'bigint') throw wrong();
      return out.fixed(8, (b) => b.writeBigUInt64LE(BigInt.asUintN(64, value)));
    case 0x000b:
      if (typeof value !== 'boolean') throw wrong();
      return out.fixed(2, (b) => b.writeUInt16LE(value ? 1 : 0));
    case 0x0048:
      if (!Buffer.isBuffer(value) || value.length !== 16) throw wrong();
      return out.bytes(value);
    case 0x001f: {
      if (typeof value !== 'string') throw wrong();
      const bytes = Buffer.from(`${value}\0`, 'utf16le');
      out.u32(bytes.length);
      return out.bytes(bytes);
    }
    case 0x001e: {
      if (!Buffer.isBuffer(value)) throw wrong();
      out.u32(value.length + 1);
      out.bytes(value);
      return out.u8(0);
    }
    case 0x0102:
    case 0x00fb:
      if (!Buffer.isBuffer(value)) throw wrong();
      out.u32(value.length);
      return out.bytes(value);
    default:
      throw invalid(property, 'a type the stream cannot carry');
  }
}

/** [MS-DTYP] 2.3.4.2 GUID packet: Data1..Data3 little-endian, Data4 as written. */
export function guidBytes(guid: string): Buffer {
  const hex = guid.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new CloudwardError('FORMAT_INVALID', `not a GUID: ${guid}`);
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8, 16),
  ]);
}

function invalid(property: FtsProperty, what: string): CloudwardError {
  const tag = (((property.id << 16) | property.type) >>> 0).toString(16).padStart(8, '0');
  return new CloudwardError('FORMAT_INVALID', `property 0x${tag} has ${what}`);
}

/** Collects the stream as a list of chunks so large binaries are not copied until the end. */
class StreamBuilder {
  private readonly chunks: Buffer[] = [];

  u8(value: number): void {
    this.chunks.push(Buffer.from([value & 0xff]));
  }

  u32(value: number): void {
    this.fixed(4, (b) => b.writeUInt32LE(value >>> 0));
  }

  fixed(size: number, fill: (b: Buffer) => void): void {
    const b = Buffer.alloc(size);
    fill(b);
    this.chunks.push(b);
  }

  bytes(value: Buffer): void {
    if (value.length > 0) this.chunks.push(value);
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
