/**
 * Real pictures for tests that upload photos: small PNGs made here with zlib (a valid file a
 * browser shows), each with its own pixels so that each is a different photo (different SHA-256),
 * and the upload of one through the API. Photos are content-addressed: the id is the hash.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { ApiClient } from './api-server';

const chunk = (type: string, data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** A `size`×`size` RGB PNG filled with a colour derived from `seed` (a distinct file per seed). */
export function testPng(seed: number, size = 8): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x++) row.set([(seed * 37 + x) & 255, (seed * 91) & 255, (seed * 13 + 7) & 255], 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** PUT /api/photos/{sha256} with raw bytes; the raw response. */
export async function putPhoto(client: ApiClient, bytes: Uint8Array, options: { id?: string; type?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': options.type ?? 'image/png' };
  if (client.cookie) headers.cookie = client.cookie;
  const response = await fetch(`${client.base}/api/photos/${options.id ?? sha256(bytes)}`, { method: 'PUT', headers, body: bytes as Uint8Array<ArrayBuffer> });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : undefined };
}

let nextSeed = 1;

/** Uploads a new photo and its thumbnail (two distinct PNGs); the attachment to send with a report or step. */
export async function uploadTestPhoto(client: ApiClient): Promise<{ photoId: string; thumbId: string }> {
  const photo = testPng(nextSeed++ * 2 + process.pid, 16);
  const thumb = testPng(nextSeed++ * 2 + 1 + process.pid, 4);
  for (const bytes of [photo, thumb]) {
    const r = await putPhoto(client, bytes);
    if (r.status !== 201 && r.status !== 200) throw new Error(`photo upload failed: ${r.status} ${r.text}`);
  }
  return { photoId: sha256(photo), thumbId: sha256(thumb) };
}
