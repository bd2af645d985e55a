import iconv from 'iconv-lite';

/**
 * Compressed RTF ([MS-OXRTFCP]) and HTML encapsulated in RTF ([MS-OXRTFEX]). pst-extractor's LZFu
 * trusts the header's size (allocates whatever it says) and returns a UTF-8-mangled string; this one
 * returns the bytes, bounded by what the compressed data can produce.
 */
const dictionaryPreload =
  '{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript ' +
  '\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par ' +
  '\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx';

export function decompressRtf(data: Uint8Array): Buffer {
  const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (input.length < 16) throw new Error('compressed RTF shorter than its header');
  const rawSize = input.readUInt32LE(4);
  const type = input.readUInt32LE(8);
  if (type === 0x414c454d) return Buffer.from(input.subarray(16, 16 + rawSize)); // "MELA": stored uncompressed
  if (type !== 0x75465a4c) throw new Error('compressed RTF has an unknown signature');
  // Each input byte yields at most 17 output bytes: cap the allocation by what the data can produce.
  const limit = Math.min(rawSize, (input.length - 16) * 17);
  const output = Buffer.alloc(limit);
  const dictionary = Buffer.alloc(4096);
  dictionary.write(dictionaryPreload, 'latin1');
  let write = dictionaryPreload.length;
  let out = 0;
  let at = 16;
  while (at < input.length && out < limit) {
    const flags = input[at++] as number;
    for (let bit = 0; bit < 8 && at < input.length && out < limit; bit++) {
      if ((flags & (1 << bit)) === 0) {
        const byte = input[at++] as number;
        output[out++] = byte;
        dictionary[write] = byte;
        write = (write + 1) & 0xfff;
        continue;
      }
      if (at + 1 >= input.length) return output.subarray(0, out);
      const word = ((input[at] as number) << 8) | (input[at + 1] as number);
      at += 2;
      let offset = word >>> 4;
      const length = (word & 0xf) + 2;
      // A reference to the write position itself marks the end of the stream.
      if (offset === write) return output.subarray(0, out);
      for (let i = 0; i < length && out < limit; i++) {
        const byte = dictionary[offset] as number;
        output[out++] = byte;
        dictionary[write] = byte;
        write = (write + 1) & 0xfff;
        offset = (offset + 1) & 0xfff;
      }
    }
  }
  return output.subarray(0, out);
}

/** Destinations whose text is not body text. */
const skippedDestinations = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'objdata', 'header', 'footer', 'headerl',
  'headerr', 'headerf', 'footerl', 'footerr', 'footerf', 'listtable', 'listoverridetable', 'rsidtbl',
  'generator', 'xmlnstbl', 'themedata', 'colorschememapping', 'latentstyles', 'datastore', 'filetbl',
  'revtbl', 'pgdsctbl', 'private', 'fldinst', 'mhtmltag',
]);

interface GroupState {
  skip: boolean;
  htmlrtf: boolean;
  htmltag: boolean;
  uc: number;
}

/**
 * Walks RTF once. With `html` it recovers the encapsulated HTML (text of \*\htmltag groups, plus text
 * outside \htmlrtf blocks); without, it renders the visible text.
 */
function walk(rtf: Buffer, html: boolean): string {
  let codepage = 'cp1252';
  const parts: string[] = [];
  let bytes: number[] = [];
  let high = false;
  const flush = (): void => {
    if (bytes.length === 0) return;
    if (!high) parts.push(String.fromCharCode(...bytes));
    else parts.push(iconv.encodingExists(codepage) ? iconv.decode(Buffer.from(bytes), codepage) : Buffer.from(bytes).toString('latin1'));
    bytes = [];
    high = false;
  };
  const push = (byte: number): void => {
    if (byte >= 0x80) high = true;
    bytes.push(byte);
    if (bytes.length >= 8192) flush();
  };
  const emitText = (text: string): void => {
    if (text.length === 1 && text.charCodeAt(0) < 0x80) {
      push(text.charCodeAt(0));
      return;
    }
    if (text === '\r\n') {
      push(13);
      push(10);
      return;
    }
    flush();
    parts.push(text);
  };
  let state: GroupState = { skip: false, htmlrtf: false, htmltag: false, uc: 1 };
  const stack: GroupState[] = [];
  let pendingSkip = 0;
  let ignorable = false;
  let groupStart = false;
  const visible = (): boolean => !state.skip && (!html || state.htmltag || !state.htmlrtf);
  let i = 0;
  const length = rtf.length;
  // One Latin-1 view of the whole RTF: control words and hex escapes become cheap string slices, not a
  // Buffer-to-string conversion each.
  const latin1 = rtf.toString('latin1');
  while (i < length) {
    const c = rtf[i] as number;
    if (c === 0x7b) {
      stack.push(state);
      if (stack.length > 512) break;
      state = { ...state };
      groupStart = true;
      ignorable = false;
      i++;
      continue;
    }
    if (c === 0x7d) {
      state = stack.pop() ?? state;
      groupStart = false;
      i++;
      continue;
    }
    if (c === 0x5c) {
      const next = rtf[i + 1];
      if (next === undefined) break;
      const isLetter = (next >= 0x61 && next <= 0x7a) || (next >= 0x41 && next <= 0x5a);
      if (!isLetter) {
        i += 2;
        if (next === 0x2a) {
          ignorable = true;
          continue;
        }
        if (next === 0x27) {
          const hex = latin1.slice(i, i + 2);
          i += 2;
          if (pendingSkip > 0) {
            pendingSkip--;
            continue;
          }
          if (visible()) push(parseInt(hex, 16) || 0);
          continue;
        }
        if (pendingSkip > 0) {
          pendingSkip--;
          continue;
        }
        if (!visible()) continue;
        if (next === 0x0a || next === 0x0d) emitText('\n');
        else if (next === 0x7e) emitText('\u00a0');
        else if (next === 0x5f) emitText('-');
        else if (next === 0x7c || next === 0x2d || next === 0x3a) continue;
        else push(next);
        continue;
      }
      let j = i + 1;
      while (j < length && (((rtf[j] as number) >= 0x61 && (rtf[j] as number) <= 0x7a) || ((rtf[j] as number) >= 0x41 && (rtf[j] as number) <= 0x5a))) j++;
      const word = latin1.slice(i + 1, j);
      let k = j;
      if (rtf[k] === 0x2d) k++;
      while (k < length && (rtf[k] as number) >= 0x30 && (rtf[k] as number) <= 0x39) k++;
      const param = k > j ? parseInt(latin1.slice(j, k), 10) : undefined;
      if (rtf[k] === 0x20) k++;
      i = k;
      const atStart = groupStart;
      groupStart = false;
      if (atStart && word === 'htmltag') {
        state.htmltag = html;
        state.skip = !html;
        if (!html) {
          i = endOfGroup(rtf, i);
          state = stack.pop() ?? state;
        }
        ignorable = false;
        continue;
      }
      if (atStart && ignorable) {
        i = endOfGroup(rtf, i);
        state = stack.pop() ?? state;
        ignorable = false;
        continue;
      }
      if (atStart && skippedDestinations.has(word)) {
        // Pictures and objects are long hex runs: jump to the end of the group instead of reading them.
        i = endOfGroup(rtf, i);
        state = stack.pop() ?? state;
        ignorable = false;
        continue;
      }
      ignorable = false;
      if (pendingSkip > 0 && word !== 'u') {
        pendingSkip--;
        continue;
      }
      switch (word) {
        case 'ansicpg':
          if (param !== undefined) codepage = param === 65001 ? 'utf8' : `cp${param}`;
          break;
        case 'htmlrtf':
          state.htmlrtf = param !== 0;
          break;
        case 'uc':
          state.uc = param ?? 1;
          break;
        case 'u':
          if (param !== undefined && visible()) emitText(String.fromCharCode(param < 0 ? param + 65536 : param));
          pendingSkip = state.uc;
          break;
        case 'par':
        case 'line':
          if (visible()) emitText(html && !state.htmltag ? '\r\n' : '\n');
          break;
        case 'tab':
          if (visible()) emitText('\t');
          break;
        case 'emdash':
          if (visible()) emitText('\u2014');
          break;
        case 'endash':
          if (visible()) emitText('\u2013');
          break;
        case 'bullet':
          if (visible()) emitText('\u2022');
          break;
        case 'lquote':
          if (visible()) emitText('\u2018');
          break;
        case 'rquote':
          if (visible()) emitText('\u2019');
          break;
        case 'ldblquote':
          if (visible()) emitText('\u201c');
          break;
        case 'rdblquote':
          if (visible()) emitText('\u201d');
          break;
        default:
          break;
      }
      continue;
    }
    groupStart = false;
    i++;
    if (c === 0x0d || c === 0x0a) continue;
    if (pendingSkip > 0) {
      pendingSkip--;
      continue;
    }
    if (visible()) push(c);
  }
  flush();
  return parts.join('');
}

/** Index just past the brace that closes the group `at` is in (escaped braces do not count). */
function endOfGroup(rtf: Buffer, at: number): number {
  let depth = 1;
  let i = at;
  while (i < rtf.length) {
    const c = rtf[i];
    if (c === 0x5c) i += 2;
    else {
      if (c === 0x7b) depth++;
      else if (c === 0x7d && --depth === 0) return i + 1;
      i++;
    }
  }
  return rtf.length;
}

export function isEncapsulatedHtml(rtf: Buffer): boolean {
  return rtf.subarray(0, 1024).includes('\\fromhtml1');
}

export function isEncapsulatedText(rtf: Buffer): boolean {
  return rtf.subarray(0, 1024).includes('\\fromtext');
}

export function htmlFromRtf(rtf: Buffer): string {
  return walk(rtf, true);
}

export function textFromRtf(rtf: Buffer): string {
  return walk(rtf, false).replace(/\n{3,}/g, '\n\n').trim();
}
