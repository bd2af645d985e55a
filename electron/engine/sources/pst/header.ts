import { crc32 } from 'node:zlib';

import { CloudwardError } from '../../../contract/index.js';

export type PstFormat = 'ANSI' | 'Unicode' | 'OST';
export type PstEncryption = 'none' | 'compressible' | 'high';

/** What the 564-byte header ([MS-PST] 2.2.2.6) says about the file, after its checksums were verified. */
export interface PstHeader {
  format: PstFormat;
  /** ANSI: 32-bit offsets and ids; otherwise 64-bit. */
  ansi: boolean;
  /** Outlook 2013+ OST: 4 KB b-tree pages, blocks may be zlib-compressed. */
  pageSize: 512 | 4096;
  version: number;
  client: 'PST' | 'OST';
  cryptMethod: number;
  encryption: PstEncryption;
  fileEof: number;
  nbtOffset: number;
  bbtOffset: number;
}

/** The CRC of [MS-PST] 5.3: the standard CRC-32 table, initial value 0, no final inversion. */
export function pstCrc(data: Uint8Array): number {
  return ~crc32(data, 0xffffffff) >>> 0;
}

const headerBytes = 564;

export function parseHeader(buffer: Buffer, fileSize: number, label: string): PstHeader {
  const fail = (why: string): never => {
    throw new CloudwardError('SOURCE_UNREADABLE', `${label}: ${why}`);
  };
  if (fileSize < 4 || buffer.length < 4 || buffer.toString('latin1', 0, 4) !== '!BDN') {
    fail('not an Outlook data file (no "!BDN" signature)');
  }
  if (buffer.length < headerBytes) fail(`truncated: ${fileSize} bytes, shorter than a PST header`);
  const magicClient = buffer.toString('latin1', 8, 10);
  const shown = buffer.subarray(8, 10).toString('hex');
  const version = buffer.readUInt16LE(10);
  const client = magicClient === 'SO' ? 'OST' : magicClient === 'SM' ? 'PST' : fail(`unknown client signature 0x${shown}`);
  const ansi = version === 14 || version === 15;
  const unicode = version === 23 || version === 36;
  if (!ansi && !unicode) fail(`unsupported PST version ${version}`);
  const partial = buffer.readUInt32LE(4);
  if (pstCrc(buffer.subarray(8, 8 + 471)) !== partial) {
    fail('header checksum mismatch (the file is damaged)');
  }
  if (unicode && pstCrc(buffer.subarray(8, 8 + 516)) !== buffer.readUInt32LE(524)) {
    fail('header checksum mismatch (the file is damaged)');
  }
  const cryptMethod = ansi ? (buffer[461] ?? 0) : (buffer[513] ?? 0);
  if (cryptMethod > 2) fail(`unknown encryption method ${cryptMethod}`);
  const read = (offset: number): number =>
    ansi ? buffer.readUInt32LE(offset) : Number(buffer.readBigUInt64LE(offset));
  const header: PstHeader = {
    format: client === 'OST' || version === 36 ? 'OST' : ansi ? 'ANSI' : 'Unicode',
    ansi,
    pageSize: version === 36 ? 4096 : 512,
    version,
    client,
    cryptMethod,
    encryption: cryptMethod === 0 ? 'none' : cryptMethod === 1 ? 'compressible' : 'high',
    fileEof: ansi ? read(168) : read(184),
    nbtOffset: ansi ? read(188) : read(224),
    bbtOffset: ansi ? read(196) : read(240),
  };
  if (header.fileEof > fileSize) {
    fail(`truncated: the header says ${header.fileEof} bytes, the file has ${fileSize}`);
  }
  if (header.nbtOffset >= fileSize || header.bbtOffset >= fileSize) fail('b-tree roots point past the end of the file');
  return header;
}
