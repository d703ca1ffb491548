import { describe, expect, it } from 'vitest';
import { maskFeature, maskPeople, maskPhone } from './mask-phones';

describe('maskPhone', () => {
  it('keeps the first three and last four digits of a number of eight or more digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('+86 1** **** 5678');
    expect(maskPhone('0571-8765 4321')).toBe('057*-**** 4321');
  });
  it('keeps only the last two digits of a short number', () => {
    expect(maskPhone('12345')).toBe('***45');
  });
});

describe('maskPeople', () => {
  it('masks every person of a feature and leaves the rest alone', () => {
    const properties = {
      name: '第一网格',
      gridLeader: { name: '张三', phone: '13812345678' },
      gridWorkers: [{ name: '李四', phone: '13912345678' }, { name: '王五' }],
      leader: null,
    };
    expect(maskPeople(properties)).toEqual({
      name: '第一网格',
      gridLeader: { name: '张三', phone: '138****5678' },
      gridWorkers: [{ name: '李四', phone: '139****5678' }, { name: '王五' }],
      leader: null,
    });
    expect(properties.gridLeader.phone).toBe('13812345678'); // not mutated
  });
  it('returns the same object when nobody has a phone', () => {
    const feature = { properties: { name: 'x', roadChief: { name: '某' } } };
    expect(maskFeature(feature)).toBe(feature);
  });
});
