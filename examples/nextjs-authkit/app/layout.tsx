import type { ReactNode } from 'react';

export const metadata = { title: 'AuthKit for Next.js example' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ font: '16px/1.5 system-ui, sans-serif', maxWidth: '40rem', margin: '2rem auto', padding: '0 1rem' }}>
        <h1>AuthKit for Next.js example</h1>
        {children}
      </body>
    </html>
  );
}
