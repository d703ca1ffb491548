/**
 * Text no one types and no consumer can take: characters that XML 1.0 forbids (the C0 controls
 * except TAB, LF and CR; U+FFFE, U+FFFF; halves of a surrogate pair standing alone), among them
 * U+0000, which PostgreSQL cannot store. Bodies are refused at input with a 400 naming the field,
 * so both backends store the same thing and every stored text can be written as XML (Open311's
 * requests.xml); output strips them as a second line (stripXmlIllegal).
 *
 * The walk over a parsed body is iterative with a depth cap: a JSON body nested 20,000 deep is a
 * 400, not a stack overflow.
 */

/** Characters XML 1.0 forbids, as UTF-16 code units (a lone surrogate is matched on its own). */
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const XML_ILLEGAL_ALL = new RegExp(XML_ILLEGAL.source, 'g');

/** Deepest nesting a request body may have (a multi-layer zone edit's coordinates sit about 10 deep). */
export const MAX_BODY_DEPTH = 64;

/** What is wrong with a body, and where (a dotted path; '' is the body itself). */
export type UnsafeText =
  | { kind: 'illegal_character'; path: string; codePoint: number }
  | { kind: 'too_deep'; path: string; maxDepth: number };

/** The first XML-illegal character in `text` as its code unit (e.g. 0x1b), or null. */
export function illegalCharacterIn(text: string): number | null {
  const match = XML_ILLEGAL.exec(text);
  return match ? match[0].charCodeAt(0) : null;
}

/** `text` without XML-illegal characters (what output writes when stored text holds one anyway). */
export function stripXmlIllegal(text: string): string {
  return XML_ILLEGAL.test(text) ? text.replace(XML_ILLEGAL_ALL, '') : text;
}

/** A string or container on the walk's stack; its path is built from the parents only when a problem is found. */
interface Visit {
  value: string | object;
  depth: number;
  parent: Visit | null;
  key: string | number;
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let v: Visit | null = visit; v && v.parent; v = v.parent) keys.push(String(v.key));
  return keys.reverse().join('.');
}

/**
 * The first problem of a parsed body: a string or key holding an XML-illegal character, or
 * nesting deeper than `maxDepth`; null when the body is fine. Visits every value once in
 * document order, without recursion, and allocates nothing for numbers (a 20,000-vertex ring
 * costs a few ms). Arrays are walked like objects (path "a.0.b").
 */
export function findUnsafeText(value: unknown, maxDepth = MAX_BODY_DEPTH): UnsafeText | null {
  if (value === null || (typeof value !== 'string' && typeof value !== 'object')) return null;
  const stack: Visit[] = [{ value, depth: 0, parent: null, key: '' }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const current = visit.value;
    if (typeof current === 'string') {
      const codePoint = illegalCharacterIn(current);
      if (codePoint !== null) return { kind: 'illegal_character', path: pathOf(visit), codePoint };
      continue;
    }
    if (visit.depth >= maxDepth) return { kind: 'too_deep', path: pathOf(visit), maxDepth };
    const depth = visit.depth + 1;
    // Children pushed last first, so that they are visited in document order.
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        const item: unknown = current[i];
        if (typeof item === 'string' || (item !== null && typeof item === 'object')) stack.push({ value: item, depth, parent: visit, key: i });
      }
    } else {
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const item: unknown = (current as Record<string, unknown>)[key];
        if (typeof item === 'string' || (item !== null && typeof item === 'object')) stack.push({ value: item, depth, parent: visit, key });
      }
      // Keys are text too (checked after the values pushed above, before any of them is visited).
      for (const key of keys) {
        const codePoint = illegalCharacterIn(key);
        if (codePoint !== null) return { kind: 'illegal_character', path: pathOf({ value: key, depth, parent: visit, key }), codePoint };
      }
    }
  }
  return null;
}

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** The message a person reads for an unsafe body: Chinese first, then English; names the field. */
export function unsafeTextMessage(problem: UnsafeText): string {
  const field = problem.path === '' ? '请求体' : problem.path;
  const fieldEn = problem.path === '' ? 'the body' : problem.path;
  if (problem.kind === 'too_deep') {
    return `${field} 嵌套超过 ${problem.maxDepth} 层，无法处理 / ${fieldEn} is nested more than ${problem.maxDepth} levels deep; send a flatter body`;
  }
  const name = problem.codePoint === 0 ? `${hex(0)} (NUL)` : hex(problem.codePoint);
  return `${field} 含有不可见的控制字符 ${name}，无法保存；请删除后重新提交 / ${fieldEn} contains the character ${name}, which cannot be stored or sent as XML; remove it and send again`;
}
