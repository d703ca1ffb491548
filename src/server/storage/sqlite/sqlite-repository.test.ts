import { describe, expect, it } from 'vitest';
import { apiTestDistrict } from '../../../../tests/helpers/api-district';
import { MissingRecordError, VersionConflictError } from '../repository';
import { openSqliteRepository } from './sqlite-repository';

const seeded = async () => {
  const repo = openSqliteRepository(':memory:');
  await repo.seed(apiTestDistrict(new Date('2026-01-10T00:00:00Z')), [], '2026-01-10T00:00:00Z');
  return repo;
};

describe('SQLite repository', () => {
  it('a failing edit leaves features, issues and revisions as they were', async () => {
    const repo = await seeded();
    const before = await repo.revisions();
    const g1 = (await repo.getFeature('grids', 'G1'))!;
    await expect(
      repo.applyZoneEdit({
        layer: 'grids',
        kind: 'edit',
        upserts: [{ ...g1.feature, properties: { ...g1.feature.properties, name: '改名' } }],
        removes: [],
        expectedVersions: { G1: 1 },
        by: 'test',
        at: '2026-01-10T01:00:00Z',
        note: null,
        // An issue that does not exist makes the transaction fail after the feature was written.
        reassignments: [{ issueId: 'NOPE', expectedVersion: 1, status: 'assigned', unitId: 'U-s1', assignment: (await repo.getIssue('T-G1'))!.assignment, entry: { at: '2026-01-10T01:00:00Z', action: 'reassign', from: 'assigned', to: 'assigned', by: 'test' } }],
      }),
    ).rejects.toBeInstanceOf(MissingRecordError);
    expect((await repo.getFeature('grids', 'G1'))!.feature.properties.name).toBe('G1 测试');
    expect(await repo.revisions()).toEqual(before);
    expect(await repo.featureHistory('grids', 'G1')).toHaveLength(1);
  });

  it('refuses stale versions of features and issues', async () => {
    const repo = await seeded();
    const g1 = (await repo.getFeature('grids', 'G1'))!;
    const edit = { layer: 'grids' as const, kind: 'edit' as const, upserts: [g1.feature], removes: [], by: 't', at: '2026-01-10T01:00:00Z', note: null, reassignments: [] };
    await expect(repo.applyZoneEdit({ ...edit, expectedVersions: { G1: 2 } })).rejects.toBeInstanceOf(VersionConflictError);
    expect((await repo.applyZoneEdit({ ...edit, expectedVersions: { G1: 1 } })).features).toEqual([{ id: 'G1', version: 2, deleted: false }]);
    const issue = (await repo.getIssue('T-G1'))!;
    const update = { status: 'rectifying' as const, unitId: issue.unitId, engineOwned: true, assignment: issue.assignment, deadline: issue.deadline, closedAt: null };
    const entry = { at: '2026-01-10T02:00:00Z', action: 'start' as const, from: 'assigned' as const, to: 'rectifying' as const, by: 't' };
    await repo.updateIssue('T-G1', 1, update, entry);
    await expect(repo.updateIssue('T-G1', 1, update, entry)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await repo.issueHistory('T-G1')).toHaveLength(2);
  });
});
