/**
 * Mutations of autocomplete files for fuzzing: bit flips, truncations, lying length/count fields at the
 * offsets the format puts them, splices of one file into another, and random garbage. Deterministic per seed.
 */

/** xorshift32: the same seed gives the same cases, so a finding can be replayed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const lies = [0, 1, 3, 0x7f, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

/** Offsets of every u32 count or length field in a well-formed file (found by walking it like a reader). */
export function lengthFieldOffsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets: number[] = [12];
  let at = 16;
  const rows = view.getUint32(12, true);
  for (let row = 0; row < rows && at + 4 <= bytes.length; row += 1) {
    offsets.push(at);
    const count = view.getUint32(at, true);
    at += 4;
    for (let property = 0; property < count && at + 16 <= bytes.length; property += 1) {
      const type = view.getUint32(at, true) & 0xffff;
      at += 16;
      if (type === 0x1e || type === 0x1f || type === 0x102) {
        offsets.push(at);
        at += 4 + view.getUint32(at, true);
      } else if (type & 0x1000) {
        offsets.push(at);
        const items = view.getUint32(at, true);
        at += 4;
        for (let item = 0; item < items && at + 4 <= bytes.length; item += 1) {
          offsets.push(at);
          at += 4 + view.getUint32(at, true);
        }
      }
    }
  }
  if (at + 4 <= bytes.length) offsets.push(at);
  return offsets;
}

export function mutate(originals: readonly Uint8Array[], random: () => number): { data: Uint8Array; how: string } {
  const pick = (n: number): number => Math.floor(random() * n);
  const original = originals[pick(originals.length)]!;
  const data = Uint8Array.from(original);
  const view = new DataView(data.buffer);
  switch (pick(7)) {
    case 0: {
      const flips = 1 + pick(8);
      for (let i = 0; i < flips; i += 1) {
        const at = pick(data.length);
        data[at] = data[at]! ^ (1 << pick(8));
      }
      return { data, how: `${flips} bit flips` };
    }
    case 1: {
      const length = pick(data.length);
      return { data: data.slice(0, length), how: `truncated to ${length}` };
    }
    case 2:
    case 3: {
      const fields = lengthFieldOffsets(original);
      const at = fields[pick(fields.length)]!;
      const value = random() < 0.7 ? lies[pick(lies.length)]! : (view.getUint32(at, true) + pick(64) - 32) >>> 0;
      view.setUint32(at, value, true);
      return { data, how: `length field at ${at} set to ${value}` };
    }
    case 4: {
      const other = originals[pick(originals.length)]!;
      const cut = pick(data.length);
      const from = pick(other.length);
      const spliced = new Uint8Array(cut + other.length - from);
      spliced.set(data.subarray(0, cut));
      spliced.set(other.subarray(from), cut);
      return { data: spliced, how: `splice at ${cut} from ${from}` };
    }
    case 5: {
      const at = pick(data.length);
      const length = Math.min(data.length - at, 1 + pick(64));
      for (let i = 0; i < length; i += 1) data[at + i] = pick(256);
      return { data, how: `${length} random bytes at ${at}` };
    }
    default: {
      // Garbage after a valid header: the reader must not trust any of it.
      const garbage = new Uint8Array(12 + pick(4096));
      garbage.set(original.subarray(0, 12));
      for (let i = 12; i < garbage.length; i += 1) garbage[i] = pick(256);
      return { data: garbage, how: `header + ${garbage.length - 12} random bytes` };
    }
  }
}
