// Settings → widgets: the list (/app/settings/widgets) or one widget's page (/app/settings/widgets/{id}).
import { html } from '../../ui.js';
import { WidgetList } from './WidgetList.js';
import { WidgetEditor } from './WidgetEditor.js';
import './widgets.css';

export function Widgets(props) {
  return props.id ? html`<${WidgetEditor} ...${props} />` : html`<${WidgetList} ...${props} />`;
}
