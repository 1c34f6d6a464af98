// Settings: one tab per thing a team configures, each its own folder and view.
import { html, Link } from '../ui.js';
import { Widgets } from './widgets/Widgets.js';
import { Team } from './team/Team.js';
import { ApiKeys } from './keys/ApiKeys.js';
import { Webhooks } from './webhooks/Webhooks.js';
import { MyMail } from './mail/MyMail.js';

const TABS = { widgets: Widgets, team: Team, keys: ApiKeys, webhooks: Webhooks, mail: MyMail };

/** /app/settings/{tab}[/{id}] */
export function Settings({ t, me, go, path }) {
  const [, tab = 'widgets', id = null] = path.match(/^\/app\/settings(?:\/([a-z]+))?(?:\/([A-Za-z0-9_-]+))?\/?$/) || [];
  const View = TABS[tab] || Widgets;
  return html`<main>
    <h1>${t.settings.title}</h1>
    <nav class="tabs" aria-label=${t.settings.tabsLabel}>
      ${Object.keys(TABS).map(name => html`<${Link} go=${go} href=${'/app/settings/' + name} aria-current=${name === tab ? 'page' : undefined}>${t.settings.tabs[name]}<//>`)}
    </nav>
    <${View} t=${t} me=${me} go=${go} id=${id} />
  </main>`;
}
