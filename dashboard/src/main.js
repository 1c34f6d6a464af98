// The team's dashboard on the public REST API only: the shell (header, sections, sign-in state) and the routes.
import '../app.css';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, apiWithoutKey, session, ApiError, KEY_REFUSED } from './api.js';
import { initialLanguage, languages, textsFor } from './i18n.js';
import { html, Link, Problem, useRoute } from './ui.js';
import { SignIn } from './signin/SignIn.js';
import { ConfirmLink } from './signin/ConfirmLink.js';
import { refusesToken } from './signin/tokenCheck.js';
import { JoinWorkspace, Joined } from './signin/Invitation.js';
import { Inbox } from './inbox/Inbox.js';
import { Report } from './inbox/Report.js';
import { Conversations } from './conversations/Conversations.js';
import { Insights } from './insights/Insights.js';
import { Settings } from './settings/Settings.js';

function App() {
  const [language, setLanguage] = useState(initialLanguage());
  const [me, setMe] = useState(null);
  const [checking, setChecking] = useState(true);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null); // { error, path }: shown above a signed-in view while it stays on that path
  const [path, go] = useRoute();
  const t = textsFor(language);

  useEffect(() => { document.documentElement.lang = language; localStorage.setItem('trackelio.language', language); }, [language]);

  // A link's token is kept in memory (out of the address bar and history at once) and used only when the person
  // confirms: a link someone else sent cannot sign anybody in silently, and a mail scanner opening it uses nothing.
  const [pendingToken, setPendingToken] = useState(null);
  // The same for an invitation link ({AppUrl}/invitation#token=inv_…): joining happens on the person's click only.
  const [invitation, setInvitation] = useState(null); // { token } | { missing: true } | { refused: ApiError }
  const [joinedKey, setJoinedKey] = useState(null); // the lasting key joining gave, shown once

  useEffect(() => {
    (async () => {
      const token = new URLSearchParams(location.hash.slice(1)).get('token');
      try {
        if (path === '/app/sign-in' && token) {
          history.replaceState(null, '', '/app/sign-in');
          setPendingToken(token);
        } else if (path === '/app/invitation' && token) {
          history.replaceState(null, '', '/app/invitation');
          setInvitation({ token });
        } else if (session.key) {
          setMe((await api('GET', '/v1/auth/session')).data);
        } else if (path === '/app/invitation') {
          setInvitation({ missing: true });
        }
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) session.key = null;
        setError(e);
      } finally { setChecking(false); }
    })();
  }, []);

  // A link opened on a page already showing its path changes only the fragment (no new load): take its token too.
  useEffect(() => {
    const linkOpened = () => {
      const token = new URLSearchParams(location.hash.slice(1)).get('token');
      if (!token || !['/app/sign-in', '/app/invitation'].includes(location.pathname)) return;
      history.replaceState(null, '', location.pathname);
      setError(null);
      if (location.pathname === '/app/sign-in') setPendingToken(token); else setInvitation({ token });
    };
    addEventListener('hashchange', linkOpened);
    return () => removeEventListener('hashchange', linkOpened);
  }, []);

  // The key this tab held is kept until the link has bought a new session: a used or expired link signs nobody out.
  // Then a session it held ends (the API refuses to end an API key that way, 409: a pasted key is left as it is).
  async function useLink() {
    setError(null);
    const previous = session.key;
    try {
      const answer = await apiWithoutKey('POST', '/v1/auth/sessions', { sign_in_token: pendingToken });
      if (previous) await api('DELETE', '/v1/auth/session').catch(() => null);
      session.key = answer.data.api_key.key;
      setPendingToken(null);
      setMe(answer.data);
      go('/app/');
    } catch (e) {
      if (refusesToken(e)) linkRefused(e);
      else setError(e); // not the link's fault (network, 503): the page stays, to try again
    }
  }

  // A link refused (used, expired): the tab's own session, if it holds one, goes on — back in the inbox, with the refusal
  // shown above it until the person moves on (the first load did not read the session, the link being in the address bar).
  function linkRefused(e) {
    setPendingToken(null);
    setError(e);
    const backToInbox = () => { go('/app/'); setNotice({ error: e, path: '/app/' }); };
    if (me) backToInbox();
    else if (session.key) api('GET', '/v1/auth/session').then(answer => { setMe(answer.data); backToInbox(); }, () => { session.key = null; });
  }

  // A key that stops working while signed in (12 hours unused, revoked elsewhere) signs the tab out, with the reason.
  const signedIn = useRef(false);
  signedIn.current = !!me;
  useEffect(() => {
    const ended = event => {
      if (!signedIn.current) return;
      session.key = null;
      setMe(null);
      setError(event.detail);
    };
    addEventListener(KEY_REFUSED, ended);
    return () => removeEventListener(KEY_REFUSED, ended);
  }, []);

  function joined(signedIn, apiKey) {
    setInvitation(null);
    setMe(signedIn);
    setJoinedKey(apiKey);
  }

  async function signOut() {
    try { if (me?.api_key?.kind === 'session') await api('DELETE', '/v1/auth/session'); } catch { /* signed out locally either way */ }
    session.key = null;
    setMe(null);
    setJoinedKey(null);
    go('/app/');
  }

  const header = html`<header>
    <strong>${t.title}</strong>
    ${me && html`<nav class="sections" aria-label=${t.mainNav}>${[['inbox', '/app/'], ['conversations', '/app/conversations'], ['insights', '/app/insights'], ['settings', '/app/settings/widgets']].map(([name, href]) =>
      html`<${Link} go=${go} href=${href} aria-current=${section(path) === name ? 'page' : undefined}>${t.nav[name]}<//>`)}</nav>`}
    ${me && html`<span class="who">${me.user.name || me.user.email} · ${me.workspace.name} · ${me.user.role}</span>`}
    <label class="language">${t.language} <select value=${language} onChange=${e => setLanguage(e.target.value)}>${languages.map(l => html`<option value=${l}>${l.toUpperCase()}</option>`)}</select></label>
    ${me && html`<button onClick=${signOut}>${t.signOut}</button>`}
  </header>`;

  if (checking) return html`${header}<main><p>${t.signingIn}</p></main>`;
  if (pendingToken) return html`${header}<${ConfirmLink} key=${pendingToken} t=${t} token=${pendingToken} error=${error} onConfirm=${useLink}
    onRefused=${linkRefused} />`;
  if (invitation?.token) return html`${header}<${JoinWorkspace} key=${invitation.token} t=${t} token=${invitation.token} onJoined=${joined}
    onRefused=${e => setInvitation({ refused: e })} />`;
  if (joinedKey && me) return html`${header}<${Joined} t=${t} me=${me} apiKey=${joinedKey} onDone=${() => { setJoinedKey(null); go('/app/'); }} />`;
  if (!me && invitation) return html`${header}<${SignIn} t=${t} onSignedIn=${m => { setInvitation(null); setMe(m); go('/app/'); }}>
    ${invitation.refused ? html`<${Problem} error=${invitation.refused} />
      ${t.join.refused[invitation.refused.code] && html`<p class="notice">${t.join.refused[invitation.refused.code]}</p>`}`
      : html`<p class="notice">${t.join.noToken}</p>`}
  <//>`;
  if (!me) return html`${header}<${Problem} error=${error} /><${SignIn} t=${t} onSignedIn=${setMe} />`;
  return html`${header}${notice?.path === path && html`<${Problem} error=${notice.error} />`}${route(path, { t, me, go, path })}`;
}

/** The section a path belongs to, for the navigation's current mark. */
function section(path) {
  const [, first] = path.match(/^\/app\/([a-z]+)/) || [];
  return ['conversations', 'insights', 'settings'].includes(first) ? first : 'inbox';
}

/** Which view a path under /app/ shows (anything unknown is the inbox). */
function route(path, props) {
  // The widget-resumed mail links to {AppUrl}/widgets/{id}: that widget's settings.
  const mailed = path.match(/^\/app\/widgets\/([A-Za-z0-9_-]+)$/);
  if (mailed) return html`<${Settings} ...${props} path=${'/app/settings/widgets/' + mailed[1]} />`;
  const report = path.match(/^\/app\/feedback\/([A-Za-z0-9_-]+)$/);
  if (report) return html`<${Report} ...${props} id=${report[1]} />`;
  if (path.startsWith('/app/conversations')) return html`<${Conversations} ...${props} />`;
  if (path.startsWith('/app/insights')) return html`<${Insights} ...${props} />`;
  if (path.startsWith('/app/settings')) return html`<${Settings} ...${props} />`;
  return html`<${Inbox} ...${props} />`;
}

render(html`<${App} />`, document.getElementById('app'));
