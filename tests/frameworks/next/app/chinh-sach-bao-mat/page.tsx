import Link from 'next/link';

export default function Policy() {
  return (
    <main>
      <h1 id="policy">Chính sách bảo mật</h1>
      <nav>
        <Link id="to-home" href="/">Liên hệ</Link>{' '}
        <Link id="to-mounted" href="/mounted">mount()</Link>
      </nav>
    </main>
  );
}
