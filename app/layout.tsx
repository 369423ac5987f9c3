import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { TopBar } from './_components/site/top-bar.tsx';
import { ClassroomBar } from './_components/classroom/classroom-bar.tsx';
import { themeScript } from './_components/site/theme-script.ts';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'packetwalk — Kubernetes networking, layer by layer', template: '%s · packetwalk' },
  description: 'Learn Kubernetes networking by building it: lessons beside a real lab terminal, with checks that answer at once.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#0d1117' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // data-theme is set before paint by the head script, so React must not complain that it differs.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <TopBar />
        <ClassroomBar />
        {children}
      </body>
    </html>
  );
}
