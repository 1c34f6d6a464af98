// One widget's page (GET/PATCH /v1/widgets/{id}): its settings edited as a draft and saved as one merge patch, the
// live preview of the draft, pause and resume, the install snippet and the history.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html, Link, Problem, canWrite as mayWrite } from '../../ui.js';
import { draftOf, withValue, changes } from './draft.js';
import { Status } from './WidgetList.js';
import { GeneralEditor } from './GeneralEditor.js';
import { ThemeEditor } from './ThemeEditor.js';
import { ModulesEditor } from './ModulesEditor.js';
import { LanguagesEditor } from './LanguagesEditor.js';
import { TextsEditor } from './TextsEditor.js';
import { TriggerEditor } from './TriggerEditor.js';
import { TargetingEditor } from './TargetingEditor.js';
import { Preview } from './Preview.js';
import { PauseControls } from './PauseControls.js';
import { InstallSnippet } from './InstallSnippet.js';
import { History } from './History.js';

export function WidgetEditor({ t, me, go, id }) {
  const w = t.settings.widgets;
  const [widget, setWidget] = useState(null);
  const [draft, setDraft] = useState(null);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const canWrite = mayWrite(me);

  useEffect(() => {
    api('GET', '/v1/widgets/' + id).then(answer => { setWidget(answer.data); setDraft(draftOf(answer.data)); }, setError);
  }, [id]);

  /** Changes the draft at a path, e.g. set(['config', 'theme', 'primary_color'], '#0f766e'). */
  const set = (path, value) => { setSaved(false); setDraft(current => withValue(current, path, value)); };

  async function save(e) {
    e.preventDefault();
    setError(null);
    try {
      const stored = (await api('PATCH', '/v1/widgets/' + id, changes(widget, draft))).data;
      setWidget(stored);
      setDraft(draftOf(stored));
      setSaved(true);
    } catch (failure) { setError(failure); }
  }

  if (!widget) return html`<section>${error ? html`<${Problem} error=${error} />` : html`<p>${t.loading}</p>`}</section>`;
  const unsaved = Object.keys(changes(widget, draft)).length > 0;
  const props = { t, draft, set };
  return html`<section class="widget-page">
    <p><${Link} go=${go} href="/app/settings/widgets">← ${w.back}<//></p>
    <h2>${widget.name} <${Status} t=${t} widget=${widget} /></h2>
    ${!canWrite && html`<p class="notice">${t.readOnly}</p>`}
    <div class="widget-editor">
      <form class="widget-settings" onSubmit=${save}>
        <fieldset class="all" key=${widget.updated_at} disabled=${!canWrite}>
          <${GeneralEditor} ...${props} />
          <${ThemeEditor} ...${props} />
          <${ModulesEditor} ...${props} />
          <${LanguagesEditor} ...${props} />
          <${TextsEditor} ...${props} />
          <${TriggerEditor} ...${props} />
          <${TargetingEditor} ...${props} />
        </fieldset>
        <div class="save-bar">
          <${Problem} error=${error} />
          <p role="status">${saved ? w.saved : unsaved ? w.unsaved : ''}</p>
          ${canWrite && html`<button type="submit" disabled=${!unsaved}>${w.save}</button>`}
        </div>
      </form>
      <${Preview} t=${t} config=${draft.config} />
    </div>
    <${PauseControls} t=${t} widget=${widget} canWrite=${canWrite} onChange=${setWidget} />
    <${InstallSnippet} t=${t} widget=${widget} />
    <${History} t=${t} widget=${widget} />
  </section>`;
}
