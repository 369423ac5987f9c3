// The bar on every page: product name (home = catalog), the catalog and practice exam links, and the theme switch.
import Link from 'next/link';
import { Logo } from './logo.tsx';
import { ThemeToggle } from './theme-toggle.tsx';
import styles from './top-bar.module.css';

export function TopBar() {
  return (
    <header className={styles.bar}>
      <Link href="/" className={styles.brand} aria-label="packetwalk home">
        <Logo />
        <span className={styles.name}>packetwalk</span>
      </Link>
      <nav aria-label="Site" className={styles.nav}>
        <Link href="/" className={styles.navLink}>
          Course
        </Link>
        <Link href="/exam" className={styles.navLink}>
          Practice exams
        </Link>
      </nav>
      <div className={styles.actions}>
        <ThemeToggle />
      </div>
    </header>
  );
}
