// TypeScript types for consent-form.js.

/** What mount() returns. */
export interface FormHandle {
  /** Removes the form and frees its resources. */
  destroy(): void;
}

/** Loads the WebAssembly module once; later calls share the promise. */
export function load(): Promise<unknown>;

/** Renders a form into `element`'s open shadow root. */
export function mount(element: HTMLElement, config?: object | null): Promise<FormHandle>;

/** The <consent-form> custom element. */
export class ConsentFormElement extends HTMLElement {}

declare global {
  interface HTMLElementTagNameMap {
    'consent-form': ConsentFormElement;
  }
}
