import type { MimeFacts, MimeLeaf } from '../../model/mime-facts.js';

/** The parts of nodemailer's MimeNode a leaf is described from (all public in its source). */
export interface LeafNode {
  content?: string | Buffer;
  contentType?: string;
  filename?: string;
  getHeader(key: string): unknown;
}

/** A leaf as the serializer met it: where its header and content chunks went, and what it was. */
export interface LeafRecord extends Pick<MimeLeaf, 'contentType' | 'charset' | 'disposition' | 'filename' | 'contentId' | 'within' | 'size'> {
  readonly encoding: string;
  /** Index of the leaf's header chunk; its content chunk, if any, follows it. */
  readonly chunk: number;
  readonly hasContent: boolean;
}

function headerText(node: LeafNode, key: string): string | undefined {
  const value = node.getHeader(key);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Describes a leaf the serializer has just written (its headers built, so contentType is set). */
export function leafRecord(node: LeafNode, encoding: string, within: readonly string[], chunk: number): LeafRecord {
  const content = node.content;
  const size = content === undefined ? 0 : typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  const contentType = node.contentType ?? 'text/plain';
  const disposition = headerText(node, 'Content-Disposition')?.split(';')[0]?.trim().toLowerCase();
  const contentId = headerText(node, 'Content-Id');
  const charset = /^text\//.test(contentType) ? /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(headerText(node, 'Content-Type') ?? '')?.[1] : undefined;
  return {
    contentType,
    within,
    encoding,
    size,
    chunk,
    hasContent: size > 0,
    ...(charset ? { charset } : {}),
    ...(disposition ? { disposition } : {}),
    ...(node.filename ? { filename: node.filename } : {}),
    ...(contentId ? { contentId } : {}),
  };
}

/**
 * Quoted-printable as the serializer writes it (nodemailer's encoder: `=XX` escapes, `=` CRLF soft
 * breaks, every other byte literal), decoded. Content is read back from the MIME rather than kept
 * beside it, so an item waiting to be written does not hold its text twice.
 */
function unquote(mime: Buffer, start: number, end: number): Buffer {
  const text = mime.toString('latin1', start, end).replace(/=\r\n|=([0-9A-F]{2})/g, (_match, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ''));
  return Buffer.from(text, 'latin1');
}

/** A leaf's place in the finished message: its content's first byte and end, and where a reader's content ends. */
interface Placed {
  readonly start: number;
  readonly end: number;
  readonly readEnd: number;
}

function leafOf(mime: Buffer, leaf: LeafRecord, { start, end, readEnd }: Placed): MimeLeaf {
  const common = {
    contentType: leaf.contentType,
    within: leaf.within,
    root: leaf.within.length === 0,
    ...(leaf.charset ? { charset: leaf.charset } : {}),
    ...(leaf.disposition ? { disposition: leaf.disposition } : {}),
    ...(leaf.filename ? { filename: leaf.filename } : {}),
    ...(leaf.contentId ? { contentId: leaf.contentId } : {}),
  };
  if (leaf.encoding === 'base64') {
    return { ...common, size: leaf.size, base64: { source: mime, start, end }, content: () => Buffer.from(mime.toString('latin1', start, end), 'base64') };
  }
  if (leaf.encoding === 'quoted-printable') return { ...common, size: leaf.size + readEnd - end, content: () => unquote(mime, start, readEnd) };
  return { ...common, size: readEnd - start, content: () => mime.subarray(start, readEnd) };
}

/**
 * The facts of a finished message: `chunks` are the pieces it was concatenated from (header block first),
 * `mime` the result. Only the offsets are worked out now (the chunks are gone after this); the header
 * string and the parts are built when a target asks, so EWS and dir: pay next to nothing.
 */
export function mimeFacts(mime: Buffer, chunks: readonly Buffer[], leaves: readonly LeafRecord[]): MimeFacts {
  const placed: Placed[] = [];
  let at = 0;
  let next = 0;
  for (let index = 0; index < chunks.length && next < leaves.length; index++) {
    at += (chunks[index] as Buffer).length;
    const leaf = leaves[next] as LeafRecord;
    if (leaf.chunk !== index) continue;
    const end = leaf.hasContent ? at + (chunks[index + 1]?.length ?? 0) : at;
    // A reader takes a top-level part's content up to the end of the message: the line break the
    // serializer adds after it is content there, not a delimiter's.
    placed.push({ start: at, end, readEnd: leaf.within.length === 0 ? mime.length : end });
    next += 1;
  }
  const first = chunks[0] as Buffer;
  const headerEnd = first.length - (first[first.length - 1] === 0x0a && first[first.length - 3] === 0x0a ? 4 : 0);
  let header: string | undefined;
  let parts: MimeLeaf[] | undefined;
  return {
    get header(): string {
      header ??= mime.toString('latin1', 0, headerEnd);
      return header;
    },
    get parts(): MimeLeaf[] {
      parts ??= leaves.map((leaf, index) => leafOf(mime, leaf, placed[index] as Placed));
      return parts;
    },
  };
}
