// The page a mailed sign-in link opens ({AppUrl}/sign-in#token=sgn_…). It says whose the link is — the address and
// workspace from POST /v1/auth/sign-in-links/check, which uses nothing up — and signs in only on a click: a link
// someone else sent would sign the person in as them (login CSRF), and a mail scanner opening the link uses nothing.
import { html, Problem } from '../ui.js';
import { useTokenCheck } from './tokenCheck.js';

/**
 * `onConfirm` trades the token (main.js; `error` is what failed when the exchange reached no verdict on the token);
 * `onRefused` gets the API's refusal of the token. A check that failed for another reason keeps the token and offers
 * to check again. Rendered with `key=${token}`: a second link opened in the tab starts afresh, never showing the first
 * link's account beside the second's button.
 */
export function ConfirmLink({ t, token, error, onConfirm, onRefused }) {
  const [link, failure, checkAgain] = useTokenCheck('/v1/auth/sign-in-links/check', { sign_in_token: token }, onRefused);

  if (failure) return html`<main class="narrow"><h1>${t.signInTitle}</h1><${Problem} error=${failure} />
    <button type="button" onClick=${checkAgain}>${t.checkAgain}</button></main>`;
  if (!link) return html`<main class="narrow"><h1>${t.signInTitle}</h1><p>${t.loading}</p></main>`;
  const who = link.name ? `${link.name} <${link.email}>` : link.email;
  return html`<main class="narrow">
    <h1>${t.signInTitle}</h1>
    <p>${t.confirmAs(who, link.workspace_name)}</p>
    <p class="notice">${t.notYou}</p>
    <${Problem} error=${error} />
    <button type="button" onClick=${onConfirm}>${t.signInTitle}</button>
  </main>`;
}
