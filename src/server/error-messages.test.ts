import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chineseFirst, validationMessage, type ZodProblem } from './error-messages';

const problemsOf = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error!.issues as readonly ZodProblem[];

describe('validationMessage', () => {
  const Body = z.object({ lon: z.number().min(-180).max(180), category: z.enum(['a', 'b']), description: z.string().min(1).max(5), tags: z.array(z.string()).max(1) }).strict();

  it('names each field in Chinese and what is wrong, then the English', () => {
    const message = validationMessage('json', problemsOf(Body, { lon: 200, category: 'c', description: '', tags: [], extra: 1 }));
    expect(message).toMatch(/^请求体有误：经度（lon）不能大于 180；问题类别（category）应为以下之一："a"、"b"；问题描述（description）不能为空；另有 1 处问题见 details\.issues。请改正后重试；invalid json: lon: /);
  });

  it('says a missing field is missing, a wrong type what it should be, an unknown key to remove', () => {
    const input = { lon: 'x', description: 'ok', tags: ['a', 'b'] };
    expect(validationMessage('query', problemsOf(Body, input), input)).toMatch(/^查询参数有误：经度（lon）应为数字；问题类别（category）缺少此项；tags最多 1 项/);
    expect(validationMessage('json', problemsOf(Body.pick({ lon: true }).strict(), { lon: 1, x: 1 }))).toMatch(/^请求体有误：有不认识的字段 x，请删去/);
    expect(validationMessage('json', problemsOf(Body, 5))).toMatch(/^请求体有误：应为对象/);
  });
});

describe('chineseFirst', () => {
  it('puts the code’s Chinese reason before an English-only message and leaves a Chinese one alone', () => {
    expect(chineseFirst('not_found', 'issue X does not exist')).toBe('找不到所请求的内容；issue X does not exist');
    expect(chineseFirst('unauthenticated', '请先登录；sign in first')).toBe('请先登录；sign in first');
    expect(chineseFirst('bad_request', '')).toBe('请求有误');
  });
});
