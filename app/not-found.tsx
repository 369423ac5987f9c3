import Link from 'next/link';

export default function NotFound() {
  return (
    <main id="main" style={{ maxWidth: 640, margin: '0 auto', padding: '96px 24px', textAlign: 'center' }}>
      <p style={{ color: 'var(--accent)', fontWeight: 700, letterSpacing: '0.08em', textTransform: 'uppercase', fontSize: 13 }}>404 · no route to host</p>
      <h1 style={{ fontSize: 32, margin: '8px 0 12px' }}>This page does not exist</h1>
      <p style={{ color: 'var(--text-muted)' }}>
        The lesson may have moved. The <Link href="/">course catalog</Link> lists every lesson.
      </p>
    </main>
  );
}
