import type { ReactNode } from 'react';

export const metadata = { title: 'Công ty TNHH Ví Dụ' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="vi">
      <body>{children}</body>
    </html>
  );
}
