/**
 * An independent reader of FastTransfer message streams, written from [MS-OXCFXICS] 2.2.4 (lexical
 * structure 2.2.4.1, marker table 2.2.4.1.4, message syntax 2.2.4.3) and [MS-OXCDATA] 2.11.1 (type codes),
 * not from our writer. Strict: any byte it cannot account for is an error naming the offset.
 * Also used by the Graph peer to check importItem `Data`.
 */

export interface ReadProperty {
  tag: number;
  id: number;
  type: number;
  /** For ids ≥ 0x8000: the name as the stream carries it. */
  guid?: string;
  lid?: number;
  name?: string;
  value: unknown;
}

export interface ReadMessage {
  fai: boolean;
  properties: ReadProperty[];
  recipients: ReadProperty[][];
  attachments: { properties: ReadProperty[]; embedded?: ReadMessage }[];
}

// [MS-OXCFXICS] 2.2.4.1.4 Markers.
const START_MESSAGE = 0x400c0003;
const START_FAI_MSG = 0x40100003;
const END_MESSAGE = 0x400d0003;
const START_RECIP = 0x40030003;
const END_TO_RECIP = 0x40040003;
const NEW_ATTACH = 0x40000003;
const END_ATTACH = 0x400e0003;
const START_EMBED = 0x40010003;
const END_EMBED = 0x40020003;
const allMarkers = new Set([
  0x40090003, 0x400b0003, 0x400a0003, START_MESSAGE, END_MESSAGE, START_FAI_MSG, START_EMBED, END_EMBED, START_RECIP,
  END_TO_RECIP, NEW_ATTACH, END_ATTACH, 0x40120003, 0x407d0003, 0x40130003, 0x40140003, 0x402f0003, 0x403a0003,
  0x403b0003, 0x4074000b, 0x4075000b, 0x40150003, 0x407b0102, 0x40180003, 0x40160003,
]);

export class FtsFormatError extends Error {}

export function readMessageStream(data: Uint8Array): ReadMessage {
  const r = new Cursor(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const start = r.word();
  if (start !== START_MESSAGE && start !== START_FAI_MSG) r.fail(`expected StartMessage or StartFAIMsg, found 0x${start.toString(16)}`);
  const message = readContent(r, start === START_FAI_MSG, END_MESSAGE, 0);
  if (!r.done()) r.fail(`${r.remaining()} bytes after EndMessage`);
  return message;
}

function readContent(r: Cursor, fai: boolean, end: number, depth: number): ReadMessage {
  if (depth > 64) r.fail('embedding too deep');
  const message: ReadMessage = { fai, properties: [], recipients: [], attachments: [] };
  // propList: property values until the first marker.
  while (!allMarkers.has(r.peekWord())) message.properties.push(readProperty(r));
  for (;;) {
    const marker = r.word();
    if (marker === end) return message;
    if (marker === START_RECIP) {
      if (message.attachments.length > 0) r.fail('recipient after attachments');
      const row: ReadProperty[] = [];
      while (!allMarkers.has(r.peekWord())) row.push(readProperty(r));
      if (r.word() !== END_TO_RECIP) r.fail('recipient not closed by EndToRecip');
      message.recipients.push(row);
    } else if (marker === NEW_ATTACH) {
      const properties: ReadProperty[] = [];
      // attachment = NewAttach PidTagAttachNumber attachmentContent EndAttach
      if (r.peekWord() !== 0x0e210003) r.fail('NewAttach not followed by PidTagAttachNumber');
      while (!allMarkers.has(r.peekWord())) properties.push(readProperty(r));
      const attachment: ReadMessage['attachments'][number] = { properties };
      let next = r.word();
      if (next === START_EMBED) {
        attachment.embedded = readContent(r, false, END_EMBED, depth + 1);
        next = r.word();
      }
      if (next !== END_ATTACH) r.fail(`attachment not closed by EndAttach (0x${next.toString(16)})`);
      message.attachments.push(attachment);
    } else {
      r.fail(`unexpected marker 0x${marker.toString(16)}`);
    }
  }
}

function readProperty(r: Cursor): ReadProperty {
  const tag = r.word();
  const id = tag >>> 16;
  const type = tag & 0xffff;
  const property: ReadProperty = { tag, id, type, value: undefined };
  if (id >= 0x8000) {
    // namedPropInfo = propertySet (GUID) flag (0x00 dispid / 0x01 name)
    property.guid = r.guid();
    const flag = r.byte();
    if (flag === 0) property.lid = r.word();
    else if (flag === 1) property.name = r.zeroTerminatedUtf16();
    else r.fail(`named property kind ${flag}`);
  }
  if (type & 0x1000) {
    const count = r.word();
    if (count > r.remaining()) r.fail(`multi-value count ${count} beyond the stream`);
    const values: unknown[] = [];
    for (let i = 0; i < count; i++) values.push(readValue(r, type & 0x0fff));
    property.value = values;
  } else {
    property.value = readValue(r, type);
  }
  return property;
}

/** [MS-OXCDATA] 2.11.1 property types; FastTransfer sizes per [MS-OXCFXICS] 2.2.4.1.1–2.2.4.1.3. */
function readValue(r: Cursor, type: number): unknown {
  switch (type) {
    case 0x0002: return r.take(2).readInt16LE(0); // PtypInteger16
    case 0x0003: return r.take(4).readInt32LE(0); // PtypInteger32
    case 0x0004: return r.take(4).readFloatLE(0); // PtypFloating32
    case 0x0005: return r.take(8).readDoubleLE(0); // PtypFloating64
    case 0x0006: return r.take(8).readBigInt64LE(0); // PtypCurrency
    case 0x0007: return r.take(8).readDoubleLE(0); // PtypFloatingTime
    case 0x000a: return r.take(4).readInt32LE(0); // PtypErrorCode
    case 0x000b: { // PtypBoolean: 2 bytes in a FastTransfer stream
      const v = r.take(2).readUInt16LE(0);
      if (v > 1) r.fail(`boolean value ${v}`);
      return v === 1;
    }
    case 0x0014: return r.take(8).readBigInt64LE(0); // PtypInteger64
    case 0x0040: return r.take(8).readBigUInt64LE(0); // PtypTime
    case 0x0048: return Buffer.from(r.take(16)); // PtypGuid
    case 0x001f: { // PtypString: length in bytes, UTF-16LE, terminated
      const bytes = r.take(r.length());
      if (bytes.length < 2 || bytes.length % 2 !== 0 || bytes.readUInt16LE(bytes.length - 2) !== 0) r.fail('PtypString not terminated');
      return bytes.toString('utf16le', 0, bytes.length - 2);
    }
    case 0x001e: { // PtypString8
      const bytes = r.take(r.length());
      if (bytes.length < 1 || bytes[bytes.length - 1] !== 0) r.fail('PtypString8 not terminated');
      return Buffer.from(bytes.subarray(0, bytes.length - 1));
    }
    case 0x0102: // PtypBinary
    case 0x00fb: // PtypServerId
    case 0x000d: // PtypObject
      return Buffer.from(r.take(r.length()));
    default:
      return r.fail(`unknown property type 0x${type.toString(16)}`);
  }
}

class Cursor {
  private at = 0;
  constructor(private readonly b: Buffer) {}

  fail(why: string): never {
    throw new FtsFormatError(`offset ${this.at}: ${why}`);
  }

  done(): boolean {
    return this.at === this.b.length;
  }

  remaining(): number {
    return this.b.length - this.at;
  }

  take(n: number): Buffer {
    if (n > this.remaining()) this.fail(`${n} bytes wanted, ${this.remaining()} left`);
    const slice = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return slice;
  }

  byte(): number {
    return this.take(1)[0]!;
  }

  word(): number {
    return this.take(4).readUInt32LE(0);
  }

  peekWord(): number {
    if (this.remaining() < 4) this.fail('stream ends inside a message');
    return this.b.readUInt32LE(this.at);
  }

  length(): number {
    const n = this.word();
    if (n > this.remaining()) this.fail(`length ${n} beyond the stream`);
    return n;
  }

  guid(): string {
    const g = this.take(16);
    const hex = (from: number, to: number): string => g.subarray(from, to).toString('hex');
    return `${g.readUInt32LE(0).toString(16).padStart(8, '0')}-${g.readUInt16LE(4).toString(16).padStart(4, '0')}-${g.readUInt16LE(6).toString(16).padStart(4, '0')}-${hex(8, 10)}-${hex(10, 16)}`.toUpperCase();
  }

  zeroTerminatedUtf16(): string {
    const start = this.at;
    for (;;) {
      const unit = this.take(2).readUInt16LE(0);
      if (unit === 0) return this.b.toString('utf16le', start, this.at - 2);
    }
  }
}
