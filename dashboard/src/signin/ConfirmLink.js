// The page a mailed sign-in link opens ({AppUrl}/sign-in#token=sgn_…). It says whose the link is — the address and
// workspace from POST /v1/auth/sign-in-links/check, which uses nothing up — and signs in only on a click: a link
// someone else sent would sign the person in as them (login CSRF), and a mail scanner opening the link uses nothing.
import { useEffect, useState } from 'preact/hooks';
import { apiWithoutKey } from '../api.js';
import { html } from '../ui.js';

/** `onConfirm` trades the token (main.js); `onRefused` gets the API's refusal (used, expired or unknown link). */
export function ConfirmLink({ t, token, onConfirm, onRefused }) {
  const [link, setLink] = useState(null);
  useEffect(() => {
    let current = true;
    apiWithoutKey('POST', '/v1/auth/sign-in-links/check', { sign_in_token: token })
      .then(answer => { if (current) setLink(answer.data); }, error => { if (current) onRefused(error); });
    return () => { current = false; };
  }, [token]);

  if (!link) return html`<main class="narrow"><h1>${t.signInTitle}</h1><p>${t.loading}</p></main>`;
  const who = link.name ? `${link.name} <${link.email}>` : link.email;
  return html`<main class="narrow">
    <h1>${t.signInTitle}</h1>
    <p>${t.confirmAs(who, link.workspace_name)}</p>
    <p class="notice">${t.notYou}</p>
    <button type="button" onClick=${onConfirm}>${t.signInTitle}</button>
  </main>`;
}
