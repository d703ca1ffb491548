/**
 * The ledger CSV (GET /api/issues.csv and /api/export/issues.csv) from the real server, and the
 * same request answered by the MSW mocks over the same district folder: byte for byte the same
 * CSV (one writer, core/formats/csv, through core/export/ledger), and no cell a spreadsheet would
 * run as a formula (descriptions starting with = + - @ TAB CR come out with a leading apostrophe).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDistrictFolder } from '../../src/cli/district-folder-io';
import { parseCsv } from '../../src/core/formats/csv';
import { ISSUE_CSV_COLUMNS } from '../../src/core/api/api-schema';
import { createMockServer, readDistrictFolder } from '../../src/mocks/node';
import { apiTestDistrict } from '../helpers/api-district';
import { startServer, tempFolder, type RunningServer } from '../helpers/api-server';

const MOCK = 'http://mock.invalid';

/** Descriptions that would run as formulas in Excel if written as they are, and one that only needs quoting. */
const HOSTILE: Record<string, string> = {
  'T-G1': '=HYPERLINK("http://evil.example","点我")',
  'T-G2': '+1+1',
  'T-CLOSED': '-2+3',
  'T-OUTSIDE': '@SUM(A1:A9)',
  'T-ROAD': '\t=1+1',
  'T-VERIFY': '\r=1+1',
  'T-OVERDUE': '井盖缺失, 见"照片"',
};

let server: RunningServer;
let mock: ReturnType<typeof createMockServer>;

beforeAll(async () => {
  const dir = join(tempFolder(), 'district');
  const data = apiTestDistrict();
  for (const issue of data.issues) issue.properties.description = HOSTILE[issue.id] ?? issue.properties.description;
  writeDistrictFolder(dir, data);
  server = await startServer({ dataDir: dir });
  mock = createMockServer(readDistrictFolder(dir), { base: MOCK });
  mock.server.listen({ onUnhandledRequest: 'bypass' });
});
afterAll(async () => {
  mock?.server.close();
  await server?.stop();
});

async function text(url: string): Promise<{ status: number; type: string | null; disposition: string | null; body: string }> {
  const response = await fetch(url);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    body: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
  };
}

describe('the ledger CSV', () => {
  it('is the same from the mocks as from the server, for every filter and sort', async () => {
    for (const query of ['', '?status=closed', '?sort=-deadline', '?overdue=true', '?status=assigned,verifying']) {
      const real = await text(`${server.url}/api/issues.csv${query}`);
      const mocked = await text(`${MOCK}/api/issues.csv${query}`);
      expect(real.status).toBe(200);
      expect(mocked).toEqual(real);
    }
  });

  it('defuses every cell a spreadsheet would run, on the ledger page and in the export', async () => {
    for (const url of [`${server.url}/api/issues.csv`, `${server.url}/api/export/issues.csv`, `${MOCK}/api/issues.csv`]) {
      const { body } = await text(url);
      expect(body.startsWith('\ufeff')).toBe(true);
      const [header, ...rows] = parseCsv(body).map((r) => r.fields);
      expect(header).toEqual([...ISSUE_CSV_COLUMNS]);
      const column = header.indexOf('描述');
      const byCode = new Map(rows.map((r) => [r[0], r]));
      for (const [code, description] of Object.entries(HOSTILE)) {
        const cell = byCode.get(code)![column];
        expect(cell).toBe(/^[=+\-@\t\r]/.test(description) ? `'${description}` : description);
      }
      expect(rows.find((r) => r[0] === 'T-CLOSED')![header.indexOf('状态')]).toBe('已销号');
      // Coordinates are numbers, not text: a negative one would stay as it is.
      expect(Number(byCode.get('T-G1')![header.indexOf('经度')])).toBeGreaterThan(119);
    }
  });
});
