// Sign in with email and password (AUTH=accounts) or single sign-on (AUTH=oidc).
import type { Metadata } from 'next';
import { SignInForm } from '../_components/classroom/sign-in-form.tsx';
import styles from '../_components/classroom/classroom.module.css';

export const metadata: Metadata = { title: 'Sign in' };

export default function SignInPage() {
  return (
    <main id="main" className={styles.page}>
      <h1>Sign in</h1>
      <SignInForm />
    </main>
  );
}
