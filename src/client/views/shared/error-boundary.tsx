import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';

interface State {
  error: Error | null;
}

/**
 * Catches a render error in one part of the page (a panel, the map) and shows a message with a
 * way to try again, instead of React unmounting the whole app into a blank page.
 */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: unknown }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('render error:', error, info.componentStack);
  }

  override componentDidUpdate(previous: { resetKey?: unknown }): void {
    // Navigating elsewhere gives the failed part a fresh start.
    if (this.state.error && previous.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  override render() {
    if (this.state.error) return <CrashMessage error={this.state.error} onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}

function CrashMessage({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="crash" role="alert">
      <h2>{t('status.crash')}</h2>
      <p>{t('status.crashHint')}</p>
      <pre>{error.message}</pre>
      <button type="button" onClick={onRetry}>
        {t('status.reload')}
      </button>
    </div>
  );
}
