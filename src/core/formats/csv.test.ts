import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv } from './csv';

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
});
