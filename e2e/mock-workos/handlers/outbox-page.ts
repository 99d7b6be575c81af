/**
 * The outbox for a person: `GET /__mock/outbox` in a browser (which asks for HTML) shows every
 * email and SMS the mock "sent", newest first, with its code or link, filtered by recipient and
 * kind. Tests and scripts get the same list as JSON (`control.outbox()`), so none reads a page.
 */
import { html, page } from '../pages.ts';
import { OUTBOX_KINDS, type OutboxFilter, type OutboxMessage } from '../store.ts';

const KIND_LABELS: Record<OutboxMessage['kind'], string> = {
  magic_auth: 'Magic code',
  email_verification: 'Email verification',
  password_reset: 'Password reset',
  invitation: 'Invitation',
  sms_challenge: 'SMS code',
};

/** A browser asks for HTML; `fetch`, curl and the control client accept anything and get JSON. */
export const prefersHtml = (request: Request) => (request.headers.get('accept') ?? '').includes('text/html');

export function outboxPage(messages: OutboxMessage[], filter: OutboxFilter): Response {
  const newestFirst = [...messages].reverse();
  const count = `${newestFirst.length} ${newestFirst.length === 1 ? 'message' : 'messages'}${filter.to ? ` to ${filter.to}` : ''}`;
  return page(
    'Outbox',
    html`<h1>Outbox</h1>
      <p class="context">Every email and SMS the mock "sent", newest first. Nothing leaves this machine.</p>
      <form method="get" action="/__mock/outbox">
        <label for="to">Recipient</label>
        <input id="to" name="to" type="text" value="${filter.to ?? ''}" />
        <label for="kind">Kind</label>
        <select id="kind" name="kind">
          <option value="">All</option>
          ${OUTBOX_KINDS.map((kind) => html`<option value="${kind}" ${kind === filter.kind ? 'selected' : ''}>${KIND_LABELS[kind]}</option>`)}
        </select>
        <button type="submit" class="secondary">Show</button>
      </form>
      <h2 id="messages">${count}</h2>
      <ol class="messages" aria-labelledby="messages">
        ${newestFirst.map(
          (message) =>
            html`<li>
              <article aria-labelledby="${message.id}">
                <h3 id="${message.id}">${message.subject}</h3>
                <p class="meta">
                  ${KIND_LABELS[message.kind]} to ${message.to}, <time datetime="${message.sentAt}">${message.sentAt}</time>
                </p>
                <p>${message.text}</p>
                ${message.code ? html`<p>Code: <span class="code">${message.code}</span></p>` : ''}
                ${message.link ? html`<p><a href="${message.link}">${message.link}</a></p>` : ''}
              </article>
            </li>`,
        )}
      </ol>`,
  );
}
