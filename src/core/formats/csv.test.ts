import { describe, expect, it } from 'vitest';
import { csvField, csvLine, csvText, parseCsv } from './csv';

describe('csv', () => {
  it('parses quotes, doubled quotes, embedded commas and line breaks, CRLF and a BOM', () => {
    const text = '\ufefflon,lat,name\r\n112.2,30.3,"解放路, 东段"\r\n112.3,30.4,"say ""hi""\nthere"\n\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['lon', 'lat', 'name'] },
      { line: 2, fields: ['112.2', '30.3', '解放路, 东段'] },
      { line: 3, fields: ['112.3', '30.4', 'say "hi"\nthere'] },
    ]);
  });

  it('names the line of an unterminated quote', () => {
    expect(() => parseCsv('a,b\n1,"oops\n2,3\n')).toThrow(/line 2/);
  });

  it('round-trips what it writes', () => {
    const values = ['plain', 'with, comma', 'with "quote"', 'line\nbreak', ' padded ', '', 42];
    expect(parseCsv(csvLine(values))[0].fields).toEqual(values.map(String));
  });

  it('defuses text a spreadsheet would run as a formula: = + - @, TAB and CR first', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1+1', '\r=1+1', '=HYPERLINK("http://x","y")']) {
      const written = csvField(text);
      expect(parseCsv(written + '\r\n')[0].fields).toEqual([`'${text}`]);
    }
    // Elsewhere in the text, and in numbers, nothing is added: a negative longitude stays a number.
    expect(csvField('a=1')).toBe('a=1');
    expect(csvField('1-2')).toBe('1-2');
    expect(csvField(-112.5)).toBe('-112.5');
    expect(csvField(null)).toBe('');
  });

  it('writes a whole file the way Excel opens it: BOM, header, CRLF lines', () => {
    const text = csvText(['编号', '描述'], [['A1', '-5 度'], ['A2', 'ok']]);
    expect(text).toBe("\ufeff编号,描述\r\nA1,'-5 度\r\nA2,ok\r\n");
    expect(parseCsv(text).map((r) => r.fields)).toEqual([['编号', '描述'], ['A1', "'-5 度"], ['A2', 'ok']]);
  });
});
