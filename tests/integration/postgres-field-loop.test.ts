/**
 * Photos and patrols with two server processes on one PostgreSQL database (vitest project
 * "postgres"): a photo uploaded through one instance is served by the other, byte for byte, with
 * the same access rules; a report retried through the other instance with the same
 * Idempotency-Key is stored once; a check-in through one shows in the other's coverage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeApiTestDistrict } from '../helpers/api-district';
import { ApiClient, freshTestDatabaseUrl, startServer, tempFolder, type RunningServer } from '../helpers/api-server';
import { putPhoto, sha256, testPng } from '../helpers/test-photos';

let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  const dataDir = join(tempFolder(), 'district');
  writeApiTestDistrict(dataDir);
  const databaseUrl = await freshTestDatabaseUrl();
  a = await startServer({ dataDir, databaseUrl });
  b = await startServer({ dataDir, databaseUrl });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

describe('photos and patrols across instances', () => {
  it('serves a photo uploaded through one instance from the other, byte for byte, under the same rules', async () => {
    const onA = await new ApiClient(a.url).signIn('inspector');
    const onB = await new ApiClient(b.url).signIn('inspector');
    const photo = testPng(777, 64);
    const thumb = testPng(778, 8);
    expect((await putPhoto(onA, photo)).status).toBe(201);
    expect((await putPhoto(onA, thumb)).status).toBe(201);
    // The same bytes through the other instance: already there.
    expect((await putPhoto(onB, photo)).body.created).toBe(false);

    const unattached = await fetch(`${b.url}/api/photos/${sha256(photo)}`, { headers: { cookie: onB.cookie! } });
    expect(unattached.status).toBe(200);
    expect(unattached.headers.get('cache-control')).toMatch(/^private/);
    expect(Buffer.from(await unattached.arrayBuffer()).equals(photo)).toBe(true);
    expect((await fetch(`${b.url}/api/photos/${sha256(photo)}`)).status).toBe(401);

    const key = { 'idempotency-key': 'two-instances-0001' };
    const body = { lon: 120.0025, lat: 30.0025, category: 'damaged_facility', source: 'inspection', description: '两个实例', evidence: [{ photoId: sha256(photo), thumbId: sha256(thumb) }] };
    const first = await onA.post('/api/issues', body, key);
    expect(first.status).toBe(201);
    const retry = await onB.post('/api/issues', body, key);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);

    const publicRead = await fetch(`${b.url}/api/photos/${sha256(photo)}`);
    expect(publicRead.status).toBe(200);
    expect(publicRead.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await publicRead.arrayBuffer()).equals(photo)).toBe(true);
  });

  it('shows a check-in made through one instance in the other’s coverage', async () => {
    const before = (await new ApiClient(b.url).get('/api/patrol/coverage')).body.checkpoints.visited;
    const onA = await new ApiClient(a.url).signIn('inspector');
    expect((await onA.post('/api/patrol/checkins', { checkpointId: 'P1', lon: 120.0175, lat: 30.0025, accuracyM: 5 })).status).toBe(201);
    const after = await new ApiClient(b.url).get('/api/patrol/coverage');
    expect(before).toBe(0);
    expect(after.body.checkpoints).toMatchObject({ total: 1, visited: 1 });
  });
});
