import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Redirect, Route, Router, Switch, useLocation } from 'wouter';
import type { ClientConfig } from './config';
import { I18nProvider, useI18n, type Lang, type MessageKey } from './i18n/i18n';
import { ConnectionBanner } from './views/shared/connection-banner';
import { ErrorBoundary } from './views/shared/error-boundary';
import { lazyModule } from './lazy-module';

const NAV = ['screen', 'plan', 'lookup', 'issues', 'patrol', 'report', 'import'] as const;

/**
 * Every view is its own chunk, loaded when its route is first shown: the first page load carries
 * the shell (React, the query client, the router, the messages) and the one view it shows, not the
 * ledger's table, the bulletin or the editor of the others.
 */
const ScreenView = lazyModule('view:screen', () => import('./views/screen/screen-view'), (m) => m.ScreenView);
const PlanView = lazyModule('view:plan', () => import('./views/plan/plan-view'), (m) => m.PlanView);
const LookupView = lazyModule('view:lookup', () => import('./views/lookup/lookup-view'), (m) => m.LookupView);
const IssuesView = lazyModule('view:issues', () => import('./views/issues/issues-view'), (m) => m.IssuesView);
const PatrolView = lazyModule('view:patrol', () => import('./views/patrol/patrol-view'), (m) => m.PatrolView);
const ReportView = lazyModule('view:report', () => import('./views/report/report-view'), (m) => m.ReportView);
const ApiKeysView = lazyModule('view:api-keys', () => import('./views/report/api-keys-view'), (m) => m.ApiKeysView);
const ImportView = lazyModule('view:import', () => import('./views/import/import-view'), (m) => m.ImportView);
/** The admin's pages (users, audit log): in the header for admins only. */
const ADMIN_NAV = ['users', 'audit'] as const;
const UsersView = lazyModule('view:users', () => import('./views/users/users-view'), (m) => m.UsersView);
const AuditView = lazyModule('view:audit', () => import('./views/audit/audit-view'), (m) => m.AuditView);
/**
 * What depends on the session (the sign-in control, the admin's links, the demo badge) comes with
 * the API contract (zod) that parses it: loaded after the shell, not in the first page load.
 */
const SessionControl = lazy(() => import('./views/shared/session').then((m) => ({ default: m.SessionControl })));
const WithSession = lazy(() => import('./views/shared/session').then((m) => ({ default: m.WithSession })));
/** Every view but /import, /users and /audit needs a district: the gate says when there is none yet. */
const DistrictGate = lazyModule('district-gate', () => import('./views/shared/district-gate'), (m) => m.DistrictGate);

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
  const fullScreen = location.startsWith('/screen');
  // A server started without a district (DUTYMAP_DISTRICT=none): every view but /import (and the
  // admin's /users and /audit, which need no district) says so.
  const needsDistrict = !['/import', '/users', '/audit'].some((path) => location.startsWith(path));
  return (
    <div className={`app${fullScreen ? ' app-full' : ''}`}>
      {!fullScreen && (
        <header className="app-header">
          <span className="app-title">{t('app.title')}</span>
          <Suspense fallback={null}>
            <WithSession>
              {(_user, mode) =>
                mode === 'demo' && (
                  <span className="demo-badge" title={t('demo.title')} role="note" aria-label={t('demo.title')}>
                    {t('demo.badge')}
                  </span>
                )
              }
            </WithSession>
          </Suspense>
          <nav>
            {NAV.map((view) => (
              <Link key={view} href={`/${view}`} className={(active: boolean) => (active ? 'active' : '')}>
                {t(`nav.${view}` as MessageKey)}
              </Link>
            ))}
            <Suspense fallback={null}>
              <WithSession>
                {(user) =>
                  user?.role === 'admin' &&
                  ADMIN_NAV.map((view) => (
                    <Link key={view} href={`/${view}`} className={(active: boolean) => (active ? 'active' : '')}>
                      {t(`nav.${view}` as MessageKey)}
                    </Link>
                  ))
                }
              </WithSession>
            </Suspense>
          </nav>
          <div className="app-header-end">
            <button type="button" className="lang" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')} aria-label={t('lang.label')}>
              {t('lang.switch')}
            </button>
            <Suspense fallback={null}>
              <SessionControl />
            </Suspense>
          </div>
        </header>
      )}
      {fullScreen && (
        <Suspense fallback={null}>
          <WithSession>
            {(_user, mode) =>
              mode === 'demo' && (
                <span className="demo-badge demo-badge-corner" title={t('demo.title')}>
                  {t('demo.badge')}
                </span>
              )
            }
          </WithSession>
        </Suspense>
      )}
      <ConnectionBanner />
      <main className="app-main">
        <ErrorBoundary resetKey={location}>
          <Suspense fallback={<ViewLoading />}>
            <MaybeDistrictGate needed={needsDistrict}>
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
                  <PatrolView />
                </Route>
                <Route path="/report">
                  <ReportView config={config} />
                </Route>
                <Route path="/import">
                  <ImportView />
                </Route>
                <Route path="/api-keys">
                  <ApiKeysView />
                </Route>
                <Route path="/users">
                  <UsersView />
                </Route>
                <Route path="/audit">
                  <AuditView />
                </Route>
                <Route path="/">
                  <Redirect to={DEFAULT_ROUTE} replace />
                </Route>
                <Route>
                  <NotFound />
                </Route>
              </Switch>
            </MaybeDistrictGate>
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}

/** The district gate around the views that need a district; the others render as they are. */
function MaybeDistrictGate({ needed, children }: { needed: boolean; children: ReactNode }) {
  return needed ? <DistrictGate>{children}</DistrictGate> : <>{children}</>;
}

/** While a view's code arrives (a few hundred milliseconds at most on a phone). */
function ViewLoading() {
  const { t } = useI18n();
  return <div className="map-loading">{t('status.loading')}</div>;
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
