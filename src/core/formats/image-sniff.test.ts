import { describe, expect, it } from 'vitest';
import { sniffImage } from './image-sniff';

// The smallest valid files of each format, as real encoders write them.
const PNG_1x1 = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
const JPEG_1x1 = Uint8Array.from(
  Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
    'base64',
  ),
);
// VP8L (lossless) 1×1 from libwebp.
const WEBP_1x1 = Uint8Array.from(Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'));

describe('sniffImage', () => {
  it('knows PNG, JPEG and WebP by their bytes, with their size, and says they are whole', () => {
    expect(sniffImage(PNG_1x1)).toEqual({ type: 'png', width: 1, height: 1, complete: true });
    expect(sniffImage(JPEG_1x1)).toEqual({ type: 'jpeg', width: 1, height: 1, complete: true });
    expect(sniffImage(WEBP_1x1)).toEqual({ type: 'webp', width: 1, height: 1, complete: true });
  });

  it('says a file cut short is not complete', () => {
    expect(sniffImage(PNG_1x1.subarray(0, PNG_1x1.length - 5))?.complete).toBe(false);
    expect(sniffImage(JPEG_1x1.subarray(0, JPEG_1x1.length - 2))?.complete).toBe(false);
    expect(sniffImage(WEBP_1x1.subarray(0, WEBP_1x1.length - 1))?.complete).toBe(false);
  });

  it('refuses what is not a picture, whatever it claims to be', () => {
    expect(sniffImage(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImage(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(sniffImage(new Uint8Array(0))).toBeNull();
    expect(sniffImage(Uint8Array.from([0xff, 0xd8]))).toBeNull();
  });
});
