// The same Pages Router page rendered at each request (getServerSideProps). A `.ts`
// file, so that the static export (next.config.mjs: only `.tsx` files are routes there),
// which cannot have it, leaves it out.
import type { GetServerSideProps } from 'next';
import { PagesContact, props, type Props } from '../components/pages-contact';

export const getServerSideProps: GetServerSideProps<Props> = props;
export default PagesContact;
