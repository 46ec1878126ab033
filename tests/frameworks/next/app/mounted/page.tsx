import Link from 'next/link';
import { connection } from 'next/server';
import { controller, endpoint, exported, policyUrl } from '../settings';
import { MountedForm } from './mounted-form';

export default async function Mounted() {
  if (!exported) await connection();
  return (
    <main>
      <h1>Liên hệ (mount)</h1>
      <MountedForm endpoint={endpoint()} controller={controller} policyUrl={policyUrl} />
      <nav>
        <Link id="to-home" href="/">Liên hệ</Link>{' '}
        <Link id="to-policy" href={policyUrl}>Chính sách bảo mật</Link>
      </nav>
    </main>
  );
}
