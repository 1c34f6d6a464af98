// Signing in: a one-time link by mail (the answer is the same for any address), or an API key pasted in.
import { useState } from 'preact/hooks';
import { api, session } from '../api.js';
import { html, Problem } from '../ui.js';

/** `children` (optional) say why the form shows, e.g. why an invitation link was refused. */
export function SignIn({ t, onSignedIn, children }) {
  const [email, setEmail] = useState('');
  const [key, setKey] = useState('');
  const [sent, setSent] = useState(null);
  const [error, setError] = useState(null);

  async function mailLink(event) {
    event.preventDefault();
    setError(null);
    try {
      const answer = await api('POST', '/v1/auth/sign-in', { email });
      setSent(answer.data.email_status === 'disabled' ? t.mailOff : t.linkSent);
    } catch (e) { setError(e); }
  }

  async function useKey(event) {
    event.preventDefault();
    setError(null);
    session.key = key.trim();
    try { onSignedIn((await api('GET', '/v1/auth/session')).data); } catch (e) { session.key = null; setError(e); }
  }

  return html`<main class="narrow">
    <h1>${t.signInTitle}</h1>
    ${children}
    <form onSubmit=${mailLink}>
      <label for="email">${t.email}</label>
      <input id="email" type="email" required autocomplete="email" value=${email} onInput=${e => setEmail(e.target.value)} />
      <button type="submit">${t.sendLink}</button>
    </form>
    ${sent && html`<p role="status" class="notice">${sent}</p>`}
    <form onSubmit=${useKey}>
      <label for="key">${t.orKey}</label>
      <input id="key" type="password" autocomplete="off" placeholder=${t.key} value=${key} onInput=${e => setKey(e.target.value)} />
      <button type="submit">${t.useKey}</button>
    </form>
    <${Problem} error=${error} />
  </main>`;
}
