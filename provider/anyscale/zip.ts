// A minimal, deterministic zip writer: no extra fields, DOS time 1980-01-01, Unix modes, entries in
// the order given. Written as a stream of chunks so an archive of any size is uploaded without being
// held in memory: each entry's sizes and CRC are known before its header is written, so the archive's
// total length is known up front too (a presigned PUT needs a Content-Length).
import * as zlib from "node:zlib";
import { AnyscaleError } from "../core/errors";

const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const END_RECORD_SIZE = 22;
const ZIP32_LIMIT = 0xffffffff;

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;

/** One archive entry, its payload read only when the stream reaches it. */
export interface ZipEntry {
  name: string;
  mode: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  payload: () => Iterable<Buffer>;
}

/** The archive's exact byte length, from names and compressed sizes alone. */
export function zipLength(entries: ReadonlyArray<{ name: string; compressedSize: number }>): number {
  let total = END_RECORD_SIZE;
  for (const entry of entries) total += LOCAL_HEADER_SIZE + CENTRAL_HEADER_SIZE + 2 * Buffer.byteLength(entry.name, "utf8") + entry.compressedSize;
  return total;
}

/** The entry for bytes in memory: deflated when that makes them smaller, stored otherwise. */
export function inMemoryEntry(name: string, data: Buffer, mode: number): ZipEntry {
  const compressed = zlib.deflateRawSync(data, { level: 6 });
  const useDeflate = compressed.length < data.length;
  const payload = useDeflate ? compressed : data;
  return { name, mode, method: useDeflate ? METHOD_DEFLATE : METHOD_STORED, crc: crc32(data), compressedSize: payload.length, size: data.length, payload: () => [payload] };
}

/** The archive as chunks: each entry's local header and payload, then the central directory. */
export function* zipStream(entries: Iterable<ZipEntry>): Generator<Buffer> {
  const centrals: Buffer[] = [];
  let offset = 0;
  let count = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    if (offset + LOCAL_HEADER_SIZE + name.length + entry.compressedSize > ZIP32_LIMIT || count === 0xffff) {
      throw new AnyscaleError("The package is larger than 4 GiB or has more than 65,535 files, which this provider does not pack (no zip64): add the large files to `excludes`.");
    }
    const local = Buffer.alloc(LOCAL_HEADER_SIZE);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, entry, name.length);
    local.writeUInt16LE(0, 28);
    yield local;
    yield name;
    let written = 0;
    for (const chunk of entry.payload()) {
      written += chunk.length;
      yield chunk;
    }
    if (written !== entry.compressedSize) throw new AnyscaleError(`'${entry.name}' changed while it was being packed (${written} bytes, expected ${entry.compressedSize}); run again.`);
    const central = Buffer.alloc(CENTRAL_HEADER_SIZE);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so permissions survive
    writeEntryFields(central, 6, entry, name.length);
    central.writeUInt32LE(((0o100000 | entry.mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += LOCAL_HEADER_SIZE + name.length + written;
    count++;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  yield* centrals;
  const end = Buffer.alloc(END_RECORD_SIZE);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  yield end;
}

/** The whole archive in memory (small packages and tests). */
export function buildZip(files: Array<{ name: string; data: Buffer; mode: number }>): Buffer {
  return Buffer.concat([...zipStream(files.map((file) => inMemoryEntry(file.name, file.data, file.mode)))]);
}

/**
 * The run of fields the local file header and the central directory entry share, in the same order
 * (version needed to extract … file name length), written from `at`.
 */
function writeEntryFields(header: Buffer, at: number, entry: ZipEntry, nameLength: number): void {
  header.writeUInt16LE(20, at);
  header.writeUInt16LE(0x0800, at + 2); // UTF-8 names
  header.writeUInt16LE(entry.method, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(entry.crc, at + 10);
  header.writeUInt32LE(entry.compressedSize, at + 14);
  header.writeUInt32LE(entry.size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

/** CRC-32 as zip stores it; `previous` continues a running value over chunks. Node's own (zlib). */
export function crc32(data: Buffer, previous = 0): number {
  return zlib.crc32(data, previous) >>> 0;
}
