// The declaration docs/embedding.md tells React hosts to copy, with the package's own
// types: JSX then knows <consent-form> and its attributes, in Server and Client
// Components alike.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ConsentFormAttributes, ConsentFormElement } from 'consent-form';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'consent-form': DetailedHTMLProps<HTMLAttributes<ConsentFormElement>, ConsentFormElement> &
        ConsentFormAttributes;
    }
  }
}
