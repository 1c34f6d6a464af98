// What every view shares: htm bound to Preact, the router, links, the API's error shown as it was given.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import htm from 'htm';

export const html = htm.bind(h);

/** The path under /app/ and a way to go elsewhere without a reload (history API; back and forward work). */
export function useRoute() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const changed = () => setPath(location.pathname);
    addEventListener('popstate', changed);
    return () => removeEventListener('popstate', changed);
  }, []);
  return [path, to => { history.pushState(null, '', to); setPath(to); scrollTo(0, 0); }];
}

/** A real link (opens in a new tab, works without script for the address) that navigates in place on a plain click. */
export function Link({ go, href, children, ...rest }) {
  const click = e => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go(href);
  };
  return html`<a href=${href} onClick=${click} ...${rest}>${children}</a>`;
}

/** What the API refused, in its own words, with the fields it names. */
export function Problem({ error }) {
  if (!error) return null;
  const fields = error.details?.length ? ' ' + error.details.map(d => `${d.field} ${d.issue}`).join('; ') : '';
  return html`<p class="problem" role="alert">${error.message}${fields}</p>`;
}

/** A date and time in the reader's locale, machine-readable too. */
export function When({ at }) {
  if (!at) return '—';
  return html`<time datetime=${at}>${new Date(at).toLocaleString()}</time>`;
}

export const canWrite = me => me.user.role !== 'viewer';
export const isAdmin = me => me.user.role === 'admin';
