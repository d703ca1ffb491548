/**
 * A JPEG with a GPS position in its EXIF, as a phone camera writes it (APP1 "Exif", a TIFF
 * header, IFD0 pointing to the GPS IFD with latitude and longitude as degree/minute/second
 * rationals): the browser tests upload such photos to check that the report form offers the
 * place the photo was taken, and that the re-encoded upload carries no EXIF.
 */

/** `jpeg` (a JPEG from any encoder) with an EXIF GPS block for (lon, lat) inserted after its start marker. */
export function jpegWithGps(jpeg: Uint8Array, lon: number, lat: number): Buffer {
  const tiff = Buffer.alloc(128);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // IFD0 at 8
  tiff.writeUInt16LE(1, 8); // one entry: the GPS IFD pointer
  entry(tiff, 10, 0x8825, 4, 1, 26);
  tiff.writeUInt32LE(0, 22); // no next IFD
  tiff.writeUInt16LE(4, 26); // the GPS IFD: four entries
  entry(tiff, 28, 0x0001, 2, 2, Buffer.from(lat >= 0 ? 'N\0' : 'S\0', 'latin1').readUInt16LE(0));
  entry(tiff, 40, 0x0002, 5, 3, 80);
  entry(tiff, 52, 0x0003, 2, 2, Buffer.from(lon >= 0 ? 'E\0' : 'W\0', 'latin1').readUInt16LE(0));
  entry(tiff, 64, 0x0004, 5, 3, 104);
  tiff.writeUInt32LE(0, 76);
  rationals(tiff, 80, Math.abs(lat));
  rationals(tiff, 104, Math.abs(lon));
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([Buffer.from(jpeg.subarray(0, 2)), app1, body, Buffer.from(jpeg.subarray(2))]);
}

function entry(b: Buffer, at: number, tag: number, type: number, count: number, value: number): void {
  b.writeUInt16LE(tag, at);
  b.writeUInt16LE(type, at + 2);
  b.writeUInt32LE(count, at + 4);
  b.writeUInt32LE(value, at + 8);
}

/** Degrees as three rationals: degrees/1, minutes/1, seconds×10000/10000. */
function rationals(b: Buffer, at: number, degrees: number): void {
  const d = Math.floor(degrees);
  const m = Math.floor((degrees - d) * 60);
  const s = Math.round(((degrees - d) * 60 - m) * 60 * 10000);
  [d, 1, m, 1, s, 10000].forEach((v, i) => b.writeUInt32LE(v, at + i * 4));
}
