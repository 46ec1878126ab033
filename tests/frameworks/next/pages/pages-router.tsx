// A Pages Router page rendered at build time (getStaticProps): a static export has it too.
import type { GetStaticProps } from 'next';
import { PagesContact, props, type Props } from '../components/pages-contact';

export const getStaticProps: GetStaticProps<Props> = props;
export default PagesContact;
