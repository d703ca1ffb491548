import { QueryClientProvider, useQuery, type QueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link, Redirect, Route, Router, Switch, useLocation } from 'wouter';
import { districtQueryOptions } from './api/district';
import { ApiRequestError } from './api/http';
import type { ClientConfig } from './config';
import { I18nProvider, useI18n, type Lang, type MessageKey } from './i18n/i18n';
import { IssuesView } from './views/issues/issues-view';
import { LookupView } from './views/lookup/lookup-view';
import { PlanView } from './views/plan/plan-view';
import { ApiKeysView } from './views/report/api-keys-view';
import { ReportView } from './views/report/report-view';
import { ScreenView } from './views/screen/screen-view';
import { ConnectionBanner } from './views/shared/connection-banner';
import { ErrorBoundary } from './views/shared/error-boundary';
import { SessionControl, useServerMode, useSessionUser } from './views/shared/session';

const NAV = ['screen', 'plan', 'lookup', 'issues', 'patrol', 'report', 'import'] as const;

/** The patrol page loads on demand: phones of patrollers only. */
const PatrolView = lazy(() => import('./views/patrol/patrol-view').then((m) => ({ default: m.PatrolView })));

/** The import page loads on demand: only administrators use it. */
const ImportView = lazy(() => import('./views/import/import-view').then((m) => ({ default: m.ImportView })));
/** The admin's pages (users, audit log): in the header for admins only, loaded on demand. */
const ADMIN_NAV = ['users', 'audit'] as const;
const UsersView = lazy(() => import('./views/users/users-view').then((m) => ({ default: m.UsersView })));
const AuditView = lazy(() => import('./views/audit/audit-view').then((m) => ({ default: m.AuditView })));

/** Where `/` goes: the large screen is the product's face; inspectors bookmark /lookup. */
export const DEFAULT_ROUTE = '/screen';

export interface AppProps {
  client: QueryClient;
  config: ClientConfig;
  /** Fixed language (tests); otherwise the URL, the last choice, or Chinese. */
  lang?: Lang;
  /** Start at this path without a browser history (tests). */
  ssrPath?: string;
}

/** The whole app: providers, the shell and the four views. */
export function App({ client, config, lang, ssrPath }: AppProps) {
  return (
    <QueryClientProvider client={client}>
      <I18nProvider lang={lang}>
        <Router ssrPath={ssrPath}>
          <Shell config={config} />
        </Router>
      </I18nProvider>
    </QueryClientProvider>
  );
}

function Shell({ config }: { config: ClientConfig }) {
  const { t, lang, setLang } = useI18n();
  const [location] = useLocation();
  const isAdmin = useSessionUser()?.role === 'admin';
  const demo = useServerMode() === 'demo';
  const fullScreen = location.startsWith('/screen');
  // A server started without a district (DUTYMAP_DISTRICT=none): every view but /import (and the
  // admin's /users and /audit, which need no district) says so.
  const district = useQuery(districtQueryOptions());
  const needsDistrict = !['/import', '/users', '/audit'].some((path) => location.startsWith(path));
  const noDistrict = needsDistrict && district.error instanceof ApiRequestError && district.error.code === 'no_district';
  return (
    <div className={`app${fullScreen ? ' app-full' : ''}`}>
      {!fullScreen && (
        <header className="app-header">
          <span className="app-title">{t('app.title')}</span>
          {demo && (
            <span className="demo-badge" title={t('demo.title')} role="note" aria-label={t('demo.title')}>
              {t('demo.badge')}
            </span>
          )}
          <nav>
            {NAV.map((view) => (
              <Link key={view} href={`/${view}`} className={(active: boolean) => (active ? 'active' : '')}>
                {t(`nav.${view}` as MessageKey)}
              </Link>
            ))}
            {isAdmin &&
              ADMIN_NAV.map((view) => (
                <Link key={view} href={`/${view}`} className={(active: boolean) => (active ? 'active' : '')}>
                  {t(`nav.${view}` as MessageKey)}
                </Link>
              ))}
          </nav>
          <div className="app-header-end">
            <button type="button" className="lang" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')} aria-label={t('lang.label')}>
              {t('lang.switch')}
            </button>
            <SessionControl />
          </div>
        </header>
      )}
      {fullScreen && demo && (
        <span className="demo-badge demo-badge-corner" title={t('demo.title')}>
          {t('demo.badge')}
        </span>
      )}
      <ConnectionBanner />
      <main className="app-main">
        <ErrorBoundary resetKey={location}>
          {noDistrict ? (
            <NoDistrict />
          ) : (
            <Switch>
              <Route path="/screen">
                <ScreenView config={config} />
              </Route>
              <Route path="/plan">
                <PlanView config={config} />
              </Route>
              <Route path="/lookup">
                <LookupView config={config} />
              </Route>
              <Route path="/issues">
                <IssuesView config={config} />
              </Route>
              <Route path="/patrol">
                <Suspense fallback={null}>
                  <PatrolView />
                </Suspense>
              </Route>
              <Route path="/report">
                <ReportView config={config} />
              </Route>
              <Route path="/import">
                <Suspense fallback={null}>
                  <ImportView />
                </Suspense>
              </Route>
              <Route path="/api-keys">
                <ApiKeysView />
              </Route>
              <Route path="/users">
                <Suspense fallback={null}>
                  <UsersView />
                </Suspense>
              </Route>
              <Route path="/audit">
                <Suspense fallback={null}>
                  <AuditView />
                </Suspense>
              </Route>
              <Route path="/">
                <Redirect to={DEFAULT_ROUTE} replace />
              </Route>
              <Route>
                <NotFound />
              </Route>
            </Switch>
          )}
        </ErrorBoundary>
      </main>
    </div>
  );
}

/** What every view shows while the server has no district yet: where the admin creates one. */
function NoDistrict() {
  const { t } = useI18n();
  return (
    <div className="not-found no-district" role="status" data-testid="no-district">
      <h1>{t('noDistrict.title')}</h1>
      <p>{t('noDistrict.body')}</p>
      <Link href="/import">{t('noDistrict.toImport')}</Link>
    </div>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="not-found">
      <h1>{t('notFound.title')}</h1>
      <Link href={DEFAULT_ROUTE}>{t('notFound.back')}</Link>
    </div>
  );
}
