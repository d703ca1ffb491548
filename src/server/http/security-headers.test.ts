import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { readConfig } from '../config';
import { CONTENT_SECURITY_POLICY, cookieIsSecure, deploymentWarnings, securityHeaders } from './security-headers';

/** What cookieIsSecure answers for a request with these headers on a server with this environment. */
async function secureFor(env: Record<string, string>, headers: Record<string, string> = {}): Promise<boolean> {
  const config = readConfig(env, '/srv');
  const app = new Hono().get('/', (c) => c.text(String(cookieIsSecure(c, config))));
  return (await (await app.request('/', { headers })).text()) === 'true';
}

describe('cookieIsSecure', () => {
  it('is Secure by default off loopback, or behind a proxy that says https, or with an https public URL', async () => {
    expect(await secureFor({})).toBe(false); // the demo on 127.0.0.1 over plain HTTP
    expect(await secureFor({ HOST: '0.0.0.0' })).toBe(true);
    expect(await secureFor({ HOST: '10.0.0.5' })).toBe(true);
    expect(await secureFor({}, { 'X-Forwarded-Proto': 'https' })).toBe(true);
    expect(await secureFor({}, { 'X-Forwarded-Proto': 'http' })).toBe(false);
    expect(await secureFor({ DUTYMAP_PUBLIC_URL: 'https://dutymap.example.gov.cn' })).toBe(true);
  });

  it('follows DUTYMAP_SECURE_COOKIES when set', async () => {
    expect(await secureFor({ DUTYMAP_SECURE_COOKIES: '1' })).toBe(true);
    expect(await secureFor({ HOST: '0.0.0.0', DUTYMAP_SECURE_COOKIES: '0' })).toBe(false);
    expect(() => readConfig({ DUTYMAP_SECURE_COOKIES: 'maybe' })).toThrow(/DUTYMAP_SECURE_COOKIES/);
  });
});

describe('securityHeaders', () => {
  it('sets the policy on every answer, HSTS only over HTTPS', async () => {
    const app = new Hono().use('*', securityHeaders({ publicUrl: null })).get('/', (c) => c.text('ok'));
    const plain = await app.request('/');
    expect(plain.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const missing = await app.request('/nothing');
    expect(missing.headers.get('x-frame-options')).toBe('DENY');
    expect((await app.request('/', { headers: { 'X-Forwarded-Proto': 'https' } })).headers.get('strict-transport-security')).toMatch(/^max-age=/);
  });
});

describe('deploymentWarnings', () => {
  it('says nothing on loopback and warns loudly off it when cookies go in clear or no public URL is set', () => {
    expect(deploymentWarnings(readConfig({ DUTYMAP_SECURE_COOKIES: '0' }, '/srv'))).toEqual([]);
    const warnings = deploymentWarnings(readConfig({ HOST: '0.0.0.0', DUTYMAP_SECURE_COOKIES: '0' }, '/srv'));
    expect(warnings[0]).toMatch(/^警告：.*DUTYMAP_SECURE_COOKIES=0/);
    expect(warnings[1]).toMatch(/DUTYMAP_PUBLIC_URL/);
    expect(deploymentWarnings(readConfig({ HOST: '0.0.0.0', DUTYMAP_PUBLIC_URL: 'https://a.example' }, '/srv'))).toEqual([]);
  });
});
