// Settings: the tabs' names here; each tab keeps its own texts in its folder (t.settings.widgets, …).
import widgets from './widgets/texts.js';
import team from './team/texts.js';
import keys from './keys/texts.js';
import webhooks from './webhooks/texts.js';
import mail from './mail/texts.js';

const own = {
  en: { title: 'Settings', tabs: { widgets: 'Widgets', team: 'Team', keys: 'API keys', webhooks: 'Webhooks', mail: 'My mail' }, tabsLabel: 'Settings sections' },
  de: { title: 'Einstellungen', tabs: { widgets: 'Widgets', team: 'Team', keys: 'API-Schlüssel', webhooks: 'Webhooks', mail: 'Meine E-Mails' }, tabsLabel: 'Bereiche der Einstellungen' },
};

export default Object.fromEntries(Object.keys(own).map(lang => [lang, {
  ...own[lang], widgets: widgets[lang], team: team[lang], keys: keys[lang], webhooks: webhooks[lang], mail: mail[lang],
}]));
