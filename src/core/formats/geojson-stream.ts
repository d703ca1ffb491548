/**
 * Splits GeoJSON bytes into features while they arrive, without ever holding the file as one
 * string: a byte scanner follows strings and nesting, and each feature object (a member of the
 * root FeatureCollection's `features`, or of a bare root array) is decoded and parsed on its own
 * once its closing brace arrives. The root's `crs` member (old GeoJSON) is captured the same way.
 *
 * UTF-8 is safe to scan byte by byte: the bytes of `"`, `\`, `{`, `}`, `[`, `]` never occur inside
 * a multi-byte character.
 */
export class GeoJsonFeatureStream {
  /** 'o' object, 'a' array, for each open container. */
  private readonly stack: string[] = [];
  private inString = false;
  private escaped = false;
  /** Bytes of the last string completed directly inside the root object (the key before a value). */
  private lastRootString: number[] | null = null;
  private collectingRootString: number[] | null = null;
  /** Array depth (stack length) whose elements are features, once known. */
  private featureArrayDepth = -1;
  private capture: { kind: 'feature' | 'crs'; depth: number; parts: Uint8Array[] } | null = null;
  private rootKind: 'o' | 'a' | null = null;
  private decoder = new TextDecoder('utf-8');
  private seenBytes = 0;
  /** The root `crs` member, when there was one. */
  crs: unknown = null;

  /** Feeds the next chunk; calls `onFeature` for each feature completed in it, in order. */
  push(chunk: Uint8Array, onFeature: (feature: unknown) => void): void {
    let captureStart = this.capture ? 0 : -1;
    let i = 0;
    // A UTF-8 byte-order mark before the first token.
    if (this.seenBytes === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    this.seenBytes += chunk.length;
    for (; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.inString) {
        if (this.collectingRootString) this.collectingRootString.push(b);
        if (this.escaped) this.escaped = false;
        else if (b === 0x5c) this.escaped = true;
        else if (b === 0x22) {
          this.inString = false;
          if (this.collectingRootString) {
            this.collectingRootString.pop();
            this.lastRootString = this.collectingRootString;
            this.collectingRootString = null;
          }
        }
        continue;
      }
      switch (b) {
        case 0x22: // "
          this.inString = true;
          if (this.stack.length === 1 && this.stack[0] === 'o' && !this.capture) this.collectingRootString = [];
          break;
        case 0x7b: // {
        case 0x5b: {
          // [
          const kind = b === 0x7b ? 'o' : 'a';
          if (this.stack.length === 0) {
            this.rootKind = kind;
            if (kind === 'a') this.featureArrayDepth = 1;
          } else if (!this.capture) {
            const depth = this.stack.length;
            if (kind === 'a' && depth === 1 && this.rootKind === 'o' && this.rootKey() === 'features') this.featureArrayDepth = 2;
            if (kind === 'o' && depth === this.featureArrayDepth && this.stack[depth - 1] === 'a') {
              this.capture = { kind: 'feature', depth, parts: [] };
              captureStart = i;
            } else if (kind === 'o' && depth === 1 && this.rootKind === 'o' && this.rootKey() === 'crs') {
              this.capture = { kind: 'crs', depth, parts: [] };
              captureStart = i;
            }
          }
          this.stack.push(kind);
          break;
        }
        case 0x7d: // }
        case 0x5d: // ]
          this.stack.pop();
          if (this.capture && this.stack.length === this.capture.depth && b === 0x7d) {
            this.capture.parts.push(chunk.subarray(captureStart, i + 1));
            const value = this.parse(this.capture.parts);
            if (this.capture.kind === 'feature') onFeature(value);
            else this.crs = value;
            this.capture = null;
            captureStart = -1;
          }
          break;
      }
    }
    // A feature still open at the chunk's end keeps its bytes so far (a copy: the caller may reuse the chunk).
    if (this.capture && captureStart >= 0) this.capture.parts.push(chunk.slice(captureStart));
  }

  /** Checks that the input was a whole FeatureCollection or array; throws with what was wrong. */
  end(): void {
    if (this.rootKind === null) throw new Error('the file is empty');
    if (this.inString || this.stack.length > 0) throw new Error('the JSON ends before it is complete (truncated file?)');
    if (this.featureArrayDepth < 0) throw new Error('expected a GeoJSON FeatureCollection with "features", or an array of features');
  }

  /**
   * True when the whole input was one object that is not a FeatureCollection (no `features`
   * array at its root): a single Feature or a bare geometry, which the caller parses whole.
   */
  get singleObject(): boolean {
    return this.rootKind === 'o' && this.featureArrayDepth < 0 && !this.inString && this.stack.length === 0;
  }

  private rootKey(): string | null {
    return this.lastRootString ? this.decoder.decode(new Uint8Array(this.lastRootString)) : null;
  }

  private parse(parts: Uint8Array[]): unknown {
    let bytes: Uint8Array;
    if (parts.length === 1) bytes = parts[0];
    else {
      bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
    }
    return JSON.parse(this.decoder.decode(bytes));
  }
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

/**
 * Reads the features of GeoJSON bytes (convenience over GeoJsonFeatureStream for whole files in
 * memory). Every valid shape of GeoJSON file: a FeatureCollection and a bare array of features are
 * streamed; a single Feature and a bare geometry (files of one street, as many sources ship them)
 * are parsed whole and come out as one feature (a bare geometry with no properties). A
 * GeometryCollection gives one feature per member.
 */
export function* geoJsonFeatures(bytes: Uint8Array, onCrs?: (crs: unknown) => void): Generator<unknown> {
  const stream = new GeoJsonFeatureStream();
  const step = 1 << 20;
  for (let at = 0; at < bytes.length; at += step) {
    const found: unknown[] = [];
    stream.push(bytes.subarray(at, at + step), (f) => found.push(f));
    if (stream.crs && onCrs) {
      onCrs(stream.crs);
      onCrs = undefined;
    }
    yield* found;
  }
  if (stream.singleObject) {
    yield* singleObjectFeatures(JSON.parse(new TextDecoder('utf-8').decode(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes)), onCrs);
    return;
  }
  stream.end();
}

/** The features of a root object that is a Feature, a geometry or a GeometryCollection. */
function singleObjectFeatures(root: { type?: unknown; crs?: unknown; geometries?: unknown }, onCrs?: (crs: unknown) => void): unknown[] {
  if (root.crs && onCrs) onCrs(root.crs);
  if (root.type === 'Feature') return [root];
  if (typeof root.type === 'string' && GEOMETRY_TYPES.has(root.type)) return [{ type: 'Feature', properties: {}, geometry: root }];
  if (root.type === 'GeometryCollection' && Array.isArray(root.geometries)) return root.geometries.map((geometry) => ({ type: 'Feature', properties: {}, geometry }));
  throw new Error(`expected GeoJSON: a FeatureCollection, an array of features, a Feature or a geometry; the root object's type is ${JSON.stringify(root.type ?? null)}`);
}

/** The EPSG code named by an old-style GeoJSON `crs` member ("urn:ogc:def:crs:EPSG::4549", "EPSG:4490"), or null. */
export function epsgOfGeoJsonCrs(crs: unknown): number | null {
  const name = (crs as { properties?: { name?: unknown } } | null)?.properties?.name;
  if (typeof name !== 'string') return null;
  const m = /EPSG:{1,2}(\d+)$/i.exec(name.trim());
  return m ? Number(m[1]) : /CRS84$/i.test(name) ? 4326 : null;
}
