import type { Context, MiddlewareHandler } from 'hono';
import { isLoopbackHost, type ServerConfig } from '../config';

/**
 * The browser-side safety headers of every response (API, Open311, the built client's pages and
 * assets, errors) and the "is this request HTTPS" question that HSTS and Secure cookies share.
 *
 * The Content-Security-Policy allows what the app really loads and nothing else:
 * - scripts only from this origin (`script-src 'self'`: no inline script, no eval);
 * - maplibre-gl's workers start from blob: URLs (`worker-src 'self' blob:`), its raster tiles and
 *   decoded images come as blob: and data: URLs;
 * - styles: the built CSS file plus the inline style attributes React, maplibre and ECharts set
 *   ('unsafe-inline' for styles only — a style cannot run code in a current browser);
 * - 天地图 tiles (https://*.tianditu.gov.cn) when a district switches that basemap on;
 * - no frames of or by anyone (`frame-ancestors 'none'`), no plugins, forms post only here.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https://*.tianditu.gov.cn",
  "font-src 'self' data:",
  "connect-src 'self' https://*.tianditu.gov.cn",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** HSTS for a year on every path of the host, sent only on a request that came over HTTPS. */
const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/**
 * Whether the browser reached us over HTTPS: the configured public URL is https, or the request
 * came through a proxy that says so (X-Forwarded-Proto: https). The header is trusted in this one
 * direction only: a client that forges it just gets a Secure cookie and HSTS it asked for.
 */
export function requestIsHttps(c: Context, config: Pick<ServerConfig, 'publicUrl'>): boolean {
  if (config.publicUrl?.startsWith('https:')) return true;
  // The server itself speaks plain HTTP (TLS ends at the proxy), so the proxy's word is all there is.
  const forwarded = c.req.header('x-forwarded-proto');
  return forwarded !== undefined && forwarded.split(',')[0]!.trim().toLowerCase() === 'https';
}

/**
 * Whether the session cookie gets `Secure` on this response: always / never as configured, and
 * by default whenever the server is reachable beyond loopback or the request came over HTTPS.
 */
export function cookieIsSecure(c: Context, config: Pick<ServerConfig, 'secureCookies' | 'host' | 'publicUrl'>): boolean {
  if (config.secureCookies === 'always') return true;
  if (config.secureCookies === 'never') return false;
  return !isLoopbackHost(config.host) || requestIsHttps(c, config);
}

/**
 * Middleware for '*': sets the headers before the handler runs (headers added to a finished
 * response force a costly copy), so they are on every answer, errors and static files included.
 */
export function securityHeaders(config: Pick<ServerConfig, 'publicUrl'>): MiddlewareHandler {
  return async (c, next) => {
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    // The phone lookup uses GPS; nothing here needs the camera's live feed, the microphone or payments.
    c.header('Permissions-Policy', 'geolocation=(self), camera=(), microphone=(), payment=(), usb=()');
    if (requestIsHttps(c, config)) c.header('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    await next();
  };
}

/** Warnings main.ts prints at start for a configuration that is unsafe beyond this machine. */
export function deploymentWarnings(config: Pick<ServerConfig, 'host' | 'secureCookies' | 'publicUrl'>): string[] {
  if (isLoopbackHost(config.host)) return [];
  const warnings: string[] = [];
  if (config.secureCookies === 'never') {
    warnings.push(
      `警告：服务在 ${config.host} 上对外监听，但 DUTYMAP_SECURE_COOKIES=0：登录 Cookie 会以明文 HTTP 传输，可被同网段窃取。请在 HTTPS 反向代理后运行并去掉该设置。` +
        ` / WARNING: listening on ${config.host} with DUTYMAP_SECURE_COOKIES=0: session cookies travel over plain HTTP. Serve behind HTTPS and unset it.`,
    );
  }
  if (config.publicUrl === null) {
    warnings.push(
      `提示：未设置 DUTYMAP_PUBLIC_URL，Open311 服务发现将使用本机监听地址。 / NOTE: DUTYMAP_PUBLIC_URL is not set; Open311 discovery names the address the server listens on.`,
    );
  } else if (!config.publicUrl.startsWith('https:')) {
    warnings.push(`警告：DUTYMAP_PUBLIC_URL 不是 https 地址。 / WARNING: DUTYMAP_PUBLIC_URL (${config.publicUrl}) is not https.`);
  }
  return warnings;
}
