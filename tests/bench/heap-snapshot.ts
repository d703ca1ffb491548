/**
 * JS heap snapshots through the DevTools protocol, and a comparison of two of them that names what
 * grew: by constructor (count, self size), and — for the objects allocated after the first
 * snapshot and still alive at the second — by what retains them. Used by the large-screen soak
 * (screen-soak-bench.ts); standalone: `node --import tsx tests/bench/heap-snapshot.ts early.heapsnapshot late.heapsnapshot`.
 *
 * Node ids in V8 snapshots are stable within one page: an object present in both snapshots has the
 * same id, so "id not in the first snapshot" means "allocated after it".
 */
import { createWriteStream, readFileSync } from 'node:fs';
import type { ProtocolSession } from './cdp-pipe';

/** Writes a heap snapshot of the page behind `cdp` to `path` (after two forced GCs). */
export async function takeHeapSnapshot(cdp: ProtocolSession, path: string): Promise<void> {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const out = createWriteStream(path);
  const onChunk = ((event: { chunk: string }) => out.write(event.chunk)) as (params: never) => void;
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false } as never);
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** A parsed snapshot: one entry per heap object, with its retainers (reverse edges). */
export interface HeapGraph {
  count: number;
  ids: Uint32Array;
  selfSize: Float64Array;
  /** "type:name", e.g. "object:Feature", "closure:onMove", "string", "array:(object elements)". */
  kind: string[];
  /** Retainers of node i: retainerNode[retainerStart[i] .. retainerStart[i + 1]) with the edge's name. */
  retainerStart: Uint32Array;
  retainerNode: Uint32Array;
  retainerEdge: string[];
  /** Node index by id. */
  indexOfId: Map<number, number>;
}

const GROUPED_BY_NAME = new Set(['object', 'closure', 'native', 'hidden', 'code', 'synthetic', 'object shape']);

/** Parses a .heapsnapshot file (V8's JSON format). */
export function readHeapSnapshot(path: string): HeapGraph {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as RawSnapshot;
  const { node_fields: nodeFields, node_types: nodeTypes, edge_fields: edgeFields, edge_types: edgeTypes } = raw.snapshot.meta;
  const nf = nodeFields.length;
  const ef = edgeFields.length;
  const [nType, nName, nId, nSize, nEdges] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => nodeFields.indexOf(f));
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f));
  const count = raw.nodes.length / nf;
  const ids = new Uint32Array(count);
  const selfSize = new Float64Array(count);
  const kind: string[] = new Array(count);
  const indexOfId = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const base = i * nf;
    const type = nodeTypes[0][raw.nodes[base + nType]];
    const name = raw.strings[raw.nodes[base + nName]];
    ids[i] = raw.nodes[base + nId];
    selfSize[i] = raw.nodes[base + nSize];
    kind[i] = GROUPED_BY_NAME.has(type) ? `${type}:${name.length > 60 ? name.slice(0, 60) + '…' : name}` : type === 'array' ? `array:${name}` : type;
    indexOfId.set(ids[i], i);
  }
  // Reverse edges (weak edges do not retain).
  const retainerCount = new Uint32Array(count + 1);
  const edgeOwner: number[] = [];
  for (let i = 0, e = 0; i < count; i++) {
    const n = raw.nodes[i * nf + nEdges];
    for (let k = 0; k < n; k++, e++) {
      edgeOwner.push(i);
      if (edgeTypes[0][raw.edges[e * ef + eType]] === 'weak') continue;
      retainerCount[raw.edges[e * ef + eTo] / nf]++;
    }
  }
  const retainerStart = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) retainerStart[i + 1] = retainerStart[i] + retainerCount[i];
  const fill = retainerStart.slice(0, count);
  const retainerNode = new Uint32Array(retainerStart[count]);
  const retainerEdge: string[] = new Array(retainerStart[count]);
  for (let e = 0; e < edgeOwner.length; e++) {
    const type = edgeTypes[0][raw.edges[e * ef + eType]];
    if (type === 'weak') continue;
    const to = raw.edges[e * ef + eTo] / nf;
    const nameOrIndex = raw.edges[e * ef + eName];
    const slot = fill[to]++;
    retainerNode[slot] = edgeOwner[e];
    retainerEdge[slot] = type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : raw.strings[nameOrIndex];
  }
  return { count, ids, selfSize, kind, retainerStart, retainerNode, retainerEdge, indexOfId };
}

/** Count and self size per kind of object. */
export function summarise(graph: HeapGraph): Map<string, { count: number; bytes: number }> {
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < graph.count; i++) {
    const entry = out.get(graph.kind[i]) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += graph.selfSize[i];
    out.set(graph.kind[i], entry);
  }
  return out;
}

/** V8's generated machine code and what belongs to it (relocation, deoptimisation data, constant pools). */
const MACHINE_CODE = /^code:(system \/ (InstructionStream|Code|CodeWrapper|TrustedByteArray|ProtectedFixedArray|TrustedWeakFixedArray|DeoptimizationData)|\(constant pool\))$/;

/**
 * The broad category of a kind: V8's compiled code (machine code apart from bytecode and type
 * feedback), strings,
 * object shapes (maps), arrays (elements and property backing stores), closures, the app's and the
 * libraries' objects (by constructor in `grown`), the embedder's (Blink's) native objects, other.
 */
export function categoryOf(kind: string): string {
  if (kind.startsWith('code:')) return MACHINE_CODE.test(kind) ? 'machine code (optimised, baseline)' : 'bytecode, feedback, function info';
  if (kind === 'string' || kind === 'concatenated string' || kind === 'sliced string') return 'strings';
  if (kind.startsWith('object shape')) return 'object shapes';
  if (kind.startsWith('array:')) return 'arrays';
  if (kind.startsWith('closure:')) return 'closures';
  if (kind.startsWith('object:')) return 'objects';
  if (kind.startsWith('native:')) return 'native (Blink)';
  return 'other';
}

/** V8's compiled code in one snapshot, split by tier. */
export interface CodeSummary {
  /**
   * Sparkplug (baseline) code: held by a function's SharedFunctionInfo, at most one per function
   * in the page, never recompiled while it lives (bounded by the number of functions loaded).
   */
  baseline: { count: number; bytes: number };
  /** Everything else compiled at run time: Maglev and TurboFan code held by closures, regexp code. */
  other: { count: number; bytes: number };
  /** Functions (SharedFunctionInfos) whose closures hold optimised code. */
  optimisedFunctions: number;
  /**
   * Functions whose closures hold more than one optimised code object at once: what a closure
   * recreated with its own feedback, or a deoptimisation loop that keeps the old code, looks like.
   */
  functionsWithSeveralOptimisedCodes: number;
}

/**
 * Splits the snapshot's `Code` objects into baseline (retained by a SharedFunctionInfo's
 * `trusted_function_data`) and the rest, with the bytes of their InstructionStream (the machine
 * code itself), and counts optimised code per function (closures → their SharedFunctionInfo).
 */
export function summariseCode(graph: HeapGraph): CodeSummary {
  const tier = new Int8Array(graph.count); // 0: not a Code, 1: baseline, 2: other
  const codeOfClosure = new Map<number, number>();
  const out: CodeSummary = { baseline: { count: 0, bytes: 0 }, other: { count: 0, bytes: 0 }, optimisedFunctions: 0, functionsWithSeveralOptimisedCodes: 0 };
  for (let i = 0; i < graph.count; i++) {
    if (graph.kind[i] !== 'code:system / Code') continue;
    let baseline = false;
    for (let r = graph.retainerStart[i]; r < graph.retainerStart[i + 1]; r++) {
      const owner = graph.kind[graph.retainerNode[r]];
      if (graph.retainerEdge[r] === 'trusted_function_data' && owner.startsWith('code:system / SharedFunctionInfo')) baseline = true;
    }
    tier[i] = baseline ? 1 : 2;
    const bucket = baseline ? out.baseline : out.other;
    bucket.count++;
    bucket.bytes += graph.selfSize[i];
    if (baseline) continue;
    for (let r = graph.retainerStart[i]; r < graph.retainerStart[i + 1]; r++) {
      if (graph.retainerEdge[r] === 'code' && graph.kind[graph.retainerNode[r]].startsWith('closure:')) codeOfClosure.set(graph.retainerNode[r], i);
    }
  }
  // Per function: the distinct optimised codes its closures hold (closures retain their SFI by `shared`).
  for (let i = 0; i < graph.count; i++) {
    if (!graph.kind[i].startsWith('code:system / SharedFunctionInfo')) continue;
    const codes = new Set<number>();
    for (let r = graph.retainerStart[i]; r < graph.retainerStart[i + 1]; r++) {
      if (graph.retainerEdge[r] !== 'shared') continue;
      const code = codeOfClosure.get(graph.retainerNode[r]);
      if (code !== undefined) codes.add(code);
    }
    if (codes.size > 0) out.optimisedFunctions++;
    if (codes.size > 1) out.functionsWithSeveralOptimisedCodes++;
  }
  // The machine code (InstructionStream), charged to the Code that owns it.
  for (let i = 0; i < graph.count; i++) {
    if (graph.kind[i] !== 'code:system / InstructionStream') continue;
    for (let r = graph.retainerStart[i]; r < graph.retainerStart[i + 1]; r++) {
      const owner = graph.retainerNode[r];
      if (tier[owner] === 0 || graph.retainerEdge[r] !== 'instruction_stream') continue;
      (tier[owner] === 1 ? out.baseline : out.other).bytes += graph.selfSize[i];
      break;
    }
  }
  return out;
}

/** What grew between two snapshots of the same page. */
export interface HeapDiff {
  totalBytes: { before: number; after: number };
  /** Self size per category (categoryOf) before → after, biggest change first. */
  byCategory: { category: string; bytesBefore: number; bytesAfter: number }[];
  /** Kinds whose self size grew most: count and bytes before → after. */
  grown: { kind: string; countBefore: number; countAfter: number; bytesBefore: number; bytesAfter: number }[];
  /**
   * Objects allocated after the first snapshot and alive at the second, grouped by kind and by a
   * short retainer path (the nearest retainers that are themselves older than the first snapshot).
   */
  newObjects: { kind: string; count: number; bytes: number; retainedVia: { path: string; count: number }[] }[];
}

/**
 * A retainer path of `node` up to the first retainer that existed before the first snapshot (the
 * long-lived owner that keeps the new object alive), at most `depth` steps, first retainer each step.
 */
function retainerPath(graph: HeapGraph, node: number, firstNewId: (id: number) => boolean, depth = 6): string {
  const parts: string[] = [];
  let at = node;
  for (let step = 0; step < depth; step++) {
    const start = graph.retainerStart[at];
    const end = graph.retainerStart[at + 1];
    if (start === end) break;
    // Prefer a retainer that is not the object's own internals (code, shapes, system).
    let pick = start;
    for (let r = start; r < end; r++) {
      const k = graph.kind[graph.retainerNode[r]];
      if (!k.startsWith('hidden:') && !k.startsWith('object shape') && !k.startsWith('code:')) {
        pick = r;
        break;
      }
    }
    const owner = graph.retainerNode[pick];
    parts.push(`${graph.retainerEdge[pick]} ← ${graph.kind[owner]}`);
    if (!firstNewId(graph.ids[owner])) break;
    at = owner;
  }
  return parts.join(' ← ');
}

/** Compares two snapshots of the same page (early, late). */
export function diffHeap(before: HeapGraph, after: HeapGraph, top = 15): HeapDiff {
  const a = summarise(before);
  const b = summarise(after);
  const kinds = new Set([...a.keys(), ...b.keys()]);
  const grown = [...kinds]
    .map((kind) => ({ kind, countBefore: a.get(kind)?.count ?? 0, countAfter: b.get(kind)?.count ?? 0, bytesBefore: a.get(kind)?.bytes ?? 0, bytesAfter: b.get(kind)?.bytes ?? 0 }))
    .filter((k) => k.bytesAfter > k.bytesBefore)
    .sort((x, y) => y.bytesAfter - y.bytesBefore - (x.bytesAfter - x.bytesBefore))
    .slice(0, top);
  const isNew = (id: number) => !before.indexOfId.has(id);
  const groups = new Map<string, { count: number; bytes: number; paths: Map<string, number> }>();
  for (let i = 0; i < after.count; i++) {
    if (!isNew(after.ids[i])) continue;
    const kind = after.kind[i];
    const group = groups.get(kind) ?? { count: 0, bytes: 0, paths: new Map<string, number>() };
    group.count++;
    group.bytes += after.selfSize[i];
    // Paths for a sample (every object of small groups, one in 50 of big ones) keep this fast.
    if (group.count <= 200 || group.count % 50 === 0) {
      const path = retainerPath(after, i, isNew);
      group.paths.set(path, (group.paths.get(path) ?? 0) + 1);
    }
    groups.set(kind, group);
  }
  const newObjects = [...groups]
    .sort((x, y) => y[1].bytes - x[1].bytes)
    .slice(0, top)
    .map(([kind, g]) => ({
      kind,
      count: g.count,
      bytes: g.bytes,
      retainedVia: [...g.paths].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([path, count]) => ({ path, count })),
    }));
  const total = (s: Map<string, { bytes: number }>) => [...s.values()].reduce((sum, v) => sum + v.bytes, 0);
  const categories = new Map<string, { category: string; bytesBefore: number; bytesAfter: number }>();
  for (const [summary, field] of [[a, 'bytesBefore'], [b, 'bytesAfter']] as const) {
    for (const [kind, { bytes }] of summary) {
      const category = categoryOf(kind);
      const entry = categories.get(category) ?? { category, bytesBefore: 0, bytesAfter: 0 };
      entry[field] += bytes;
      categories.set(category, entry);
    }
  }
  const byCategory = [...categories.values()].sort((x, y) => Math.abs(y.bytesAfter - y.bytesBefore) - Math.abs(x.bytesAfter - x.bytesBefore));
  return { totalBytes: { before: total(a), after: total(b) }, byCategory, grown, newObjects };
}

/** The diff as text, for the console and the README. */
export function formatHeapDiff(diff: HeapDiff): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const signed = (bytes: number) => (bytes >= 0 ? `+${kb(bytes)}` : `−${kb(-bytes)}`);
  const lines = [`heap (snapshot self sizes): ${kb(diff.totalBytes.before)} → ${kb(diff.totalBytes.after)}`, '', 'by category:'];
  for (const c of diff.byCategory) lines.push(`  ${c.category}: ${kb(c.bytesBefore)} → ${kb(c.bytesAfter)} (${signed(c.bytesAfter - c.bytesBefore)})`);
  lines.push('', 'grown most (kind: count, self size):');
  for (const g of diff.grown) lines.push(`  ${g.kind}: ${g.countBefore} → ${g.countAfter}, ${kb(g.bytesBefore)} → ${kb(g.bytesAfter)} (+${kb(g.bytesAfter - g.bytesBefore)})`);
  lines.push('', 'allocated after the first snapshot and still alive (kind: count, self size; retained via):');
  for (const n of diff.newObjects) {
    lines.push(`  ${n.kind}: ${n.count}, ${kb(n.bytes)}`);
    for (const r of n.retainedVia) lines.push(`      ${r.count}× ${r.path}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [early, late] = process.argv.slice(2);
  if (!early || !late) {
    process.stderr.write('usage: heap-snapshot.ts early.heapsnapshot late.heapsnapshot\n');
    process.exit(2);
  }
  process.stdout.write(formatHeapDiff(diffHeap(readHeapSnapshot(early), readHeapSnapshot(late))) + '\n');
}
