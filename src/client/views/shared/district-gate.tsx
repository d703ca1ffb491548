import { useQuery } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { Link } from 'wouter';
import { districtQueryOptions } from '../../api/district';
import { ApiRequestError } from '../../api/http';
import { useI18n } from '../../i18n/i18n';
import { perfMark } from '../../perf-mark';

/**
 * Shows `children` unless the server has no district yet (started with DUTYMAP_DISTRICT=none and
 * nothing imported): then every view that needs one says so and links to /import. Loaded with the
 * views, not in the shell, because reading the district brings the API contract (zod) with it.
 */
export function DistrictGate({ children }: { children: ReactNode }) {
  const district = useQuery(districtQueryOptions());
  useEffect(() => perfMark('gate-committed'), []);
  const noDistrict = district.error instanceof ApiRequestError && district.error.code === 'no_district';
  return noDistrict ? <NoDistrict /> : <>{children}</>;
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
