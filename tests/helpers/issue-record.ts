import type { IssueRecord } from '../../src/server/storage/repository';

/** A stored issue with the fields the ledger filters on. */
export function issueRecord(over: Partial<IssueRecord> = {}): IssueRecord {
  return {
    id: 'WT20261201-00001',
    seq: 1,
    code: 'WT20261201-00001',
    lon: 120.0025,
    lat: 30.0025,
    category: 'damaged_facility',
    description: '井盖 破损',
    source: 'inspection',
    severity: 'normal',
    reportedAt: '2026-12-01T02:00:00.000Z',
    reportedBy: 'inspector',
    deadline: '2026-12-03T02:00:00.000Z',
    status: 'assigned',
    unitId: 'U-s1',
    engineOwned: true,
    assignment: { streetId: 'S1', communityId: 'C1', gridId: 'G1', roadId: null, checkpointId: null } as IssueRecord['assignment'],
    closedAt: null,
    photos: [],
    version: 1,
    ...over,
  };
}
