// Nothing from the package is used by name: a bundler must keep the import all the same
// ("sideEffects" in its package.json), or <consent-form> is never defined.
import 'consent-form';

// The events bubble out of the element (composed): the page hears them on document.
window.heard = [];
for (const type of ['consent-form:submit', 'consent-form:success']) {
  document.addEventListener(type, (e) => {
    window.heard.push({ type, ...e.detail });
    if (type === 'consent-form:success') document.getElementById('sent').textContent = e.detail.id;
  });
}
