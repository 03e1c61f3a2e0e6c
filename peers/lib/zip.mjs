// Minimal ZIP reader for the peer jobs: finds the single CSV entry through the central directory
// (ZIP64 aware) and inflates it with node's zlib. Node has no zip reader of its own, and the peers
// must read the same .zip snapdelta reads, paying for decompression like snapdelta does.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function readAt(fd, position, length) {
  const buf = Buffer.alloc(length);
  const got = fs.readSync(fd, buf, 0, length, position);
  return buf.subarray(0, got);
}

// Returns { name, method, compressedSize, uncompressedSize, dataOffset } of the first .csv entry.
export function findCsvEntry(path) {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tailLength = Math.min(size, 65557);
    const tail = readAt(fd, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) { eocd = i; break; }
    }
    if (eocd < 0) throw new Error(`${path}: expected a zip end-of-central-directory record, found none`);
    let entries = tail.readUInt16LE(eocd + 10);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
      const z64 = Number(tail.readBigUInt64LE(eocd - 20 + 8));
      const rec = readAt(fd, z64, 56);
      if (rec.readUInt32LE(0) !== ZIP64_EOCD) throw new Error(`${path}: bad ZIP64 end record`);
      entries = Number(rec.readBigUInt64LE(32));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
    let pos = cdOffset;
    for (let n = 0; n < entries; n++) {
      const h = readAt(fd, pos, 46);
      if (h.readUInt32LE(0) !== CENTRAL) throw new Error(`${path}: bad central directory entry`);
      const method = h.readUInt16LE(10);
      let compressedSize = h.readUInt32LE(20);
      let uncompressedSize = h.readUInt32LE(24);
      const nameLength = h.readUInt16LE(28), extraLength = h.readUInt16LE(30);
      const commentLength = h.readUInt16LE(32);
      let localOffset = h.readUInt32LE(42);
      const rest = readAt(fd, pos + 46, nameLength + extraLength);
      const name = rest.subarray(0, nameLength).toString('utf8');
      const extra = rest.subarray(nameLength);
      for (let e = 0; e + 4 <= extra.length;) {
        const id = extra.readUInt16LE(e), len = extra.readUInt16LE(e + 2);
        if (id === 0x0001) {  // ZIP64: only the fields whose 32-bit value is saturated, in order
          let f = e + 4;
          if (uncompressedSize === 0xffffffff) { uncompressedSize = Number(extra.readBigUInt64LE(f)); f += 8; }
          if (compressedSize === 0xffffffff) { compressedSize = Number(extra.readBigUInt64LE(f)); f += 8; }
          if (localOffset === 0xffffffff) { localOffset = Number(extra.readBigUInt64LE(f)); f += 8; }
        }
        e += 4 + len;
      }
      pos += 46 + nameLength + extraLength + commentLength;
      if (!name.toLowerCase().endsWith('.csv')) continue;
      const local = readAt(fd, localOffset, 30);
      if (local.readUInt32LE(0) !== LOCAL) throw new Error(`${path}: bad local header for ${name}`);
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (method !== 0 && method !== 8) throw new Error(`${path}: ${name}: unsupported method ${method}`);
      return { name, method, compressedSize, uncompressedSize, dataOffset };
    }
    throw new Error(`${path}: expected a .csv entry, found none`);
  } finally {
    fs.closeSync(fd);
  }
}

// The whole CSV in memory (what Polars' readCSV takes).
export function readCsvBuffer(path) {
  const entry = findCsvEntry(path);
  const fd = fs.openSync(path, 'r');
  let raw;
  try {
    raw = readAt(fd, entry.dataOffset, entry.compressedSize);
  } finally {
    fs.closeSync(fd);
  }
  return entry.method === 0 ? raw : zlib.inflateRawSync(raw);
}

// Streams the CSV into a file (DuckDB reads files, not zips); memory stays at the stream's buffers.
export async function extractCsvTo(path, target) {
  const entry = findCsvEntry(path);
  const source = fs.createReadStream(path, {
    start: entry.dataOffset,
    end: entry.dataOffset + entry.compressedSize - 1,
    highWaterMark: 1 << 20,
  });
  const sink = fs.createWriteStream(target);
  if (entry.method === 0) await pipeline(source, sink);
  else await pipeline(source, zlib.createInflateRaw({ chunkSize: 1 << 20 }), sink);
  return entry;
}
