import { crc32 } from 'node:zlib';
import type { PackageFile } from './dirhash';

/** MS-DOS date and time of 1980-01-01 00:00, the earliest a zip can hold: the same bytes on every build. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** "Made by" Unix (3), zip 2.0: Terraform then takes each file's mode from the external attributes. */
const MADE_BY_UNIX = (3 << 8) | 20;
const EXECUTABLE = 0o100755;

/**
 * A zip of the files, stored without compression and with fixed times, so that the archive, and its
 * `zh:` hash, depend only on the files: the release and the `dodb lock` command compute the same
 * hash on any machine and Node version (deflate output can differ between zlib versions).
 */
export function storedZip(files: PackageFile[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const fields = entryFields(crc32(file.content), file.content.length, name.length);
    const local = Buffer.concat([uint32(0x04034b50), fields]);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    fields.copy(central, 6); // the central header repeats the local one's fields, then adds its own
    central.writeUInt32LE((EXECUTABLE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, file.content);
    centrals.push(central, name);
    offset += local.length + name.length + file.content.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** The fields a local file header and its central directory entry share, from "version needed" on. */
function entryFields(crc: number, size: number, nameLength: number): Buffer {
  const fields = Buffer.alloc(26);
  fields.writeUInt16LE(20, 0); // version needed: 2.0
  fields.writeUInt16LE(0x0800, 2); // names are UTF-8
  fields.writeUInt16LE(0, 4); // stored
  fields.writeUInt16LE(DOS_TIME, 6);
  fields.writeUInt16LE(DOS_DATE, 8);
  fields.writeUInt32LE(crc, 10);
  fields.writeUInt32LE(size, 14); // compressed size: the same, stored
  fields.writeUInt32LE(size, 18);
  fields.writeUInt16LE(nameLength, 22);
  return fields;
}

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value, 0);
  return b;
}
