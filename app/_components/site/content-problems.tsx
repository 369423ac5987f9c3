// Development only: shows what content:check would say about the course structure, above the catalog.
import { getCourseProblems } from '../../../course/content/site-content.ts';

export function ContentProblems() {
  const report = getCourseProblems();
  if (!report) return null;
  return (
    <div
      role="alert"
      style={{ margin: '0 0 24px', padding: '14px 16px', border: '1px solid var(--danger)', borderRadius: 'var(--radius)', background: 'var(--danger-soft)' }}
    >
      <strong style={{ color: 'var(--danger)' }}>Content problems (development only):</strong> these lessons or modules are left out until fixed. Run{' '}
      <code>npm run content:check</code> for the full check.
      <pre style={{ margin: '10px 0 0', whiteSpace: 'pre-wrap', fontSize: 12.5, color: 'var(--text)' }}>{report}</pre>
    </div>
  );
}
