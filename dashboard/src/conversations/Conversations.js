// Conversations: the messenger's chats, seen by the team — the list and one conversation.
import { html } from '../ui.js';
import { ConversationList } from './ConversationList.js';
import { Conversation } from './Conversation.js';
import './conversations.css';

/** /app/conversations (the list) and /app/conversations/{id} (one conversation). */
export function Conversations(props) {
  const [, id] = props.path.match(/^\/app\/conversations\/([A-Za-z0-9_-]+)$/) || [];
  return id ? html`<${Conversation} ...${props} key=${id} id=${id} />` : html`<${ConversationList} ...${props} />`;
}
