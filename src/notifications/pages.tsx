import { formatFrenchDateTime } from '../time';
import { ActionButton, Layout } from '../web/layout';
import { definePage, type AnyPage, idOf } from '../web/pages';
import { notificationsMessages as words } from './messages';
import { inbox, markRead, type InboxItem } from './service';

/** The inbox as a page: what happened to my files and votes, unread marked, each one to mark as read. */
const shownMax = 50;

function InboxPage(props: {
  viewer: { displayName: string };
  csrfToken: string;
  unreadOnly: boolean;
  items: InboxItem[];
}) {
  return (
    <Layout title={words.inboxTitle} viewer={props.viewer} csrfToken={props.csrfToken}>
      <h1>{words.inboxTitle}</h1>
      <p>{words.inboxLead(shownMax)}</p>
      <nav aria-label={words.filterLabel}>
        <ul>
          <li>
            <a href="/notifications" aria-current={props.unreadOnly ? undefined : 'page'}>
              {words.allFilter}
            </a>
          </li>
          <li>
            <a href="/notifications?non-lues=oui" aria-current={props.unreadOnly ? 'page' : undefined}>
              {words.unreadFilter}
            </a>
          </li>
        </ul>
      </nav>
      {props.items.length === 0 ? (
        <p>{words.empty}</p>
      ) : (
        <ul class="inbox">
          {props.items.map((item) => (
            <li key={item.id}>
              <article>
                <h2>
                  {item.title}
                  {!item.readAt && <mark>{words.unread}</mark>}
                </h2>
                <p>{item.body}</p>
                {item.link && (
                  <p>
                    <a href={item.link}>{words.open}</a>
                  </p>
                )}
                <footer>
                  <small>{words.receivedOn(formatFrenchDateTime(item.createdAt))}</small>
                  {!item.readAt && (
                    <ActionButton
                      action={`/notifications/${item.id}/lue`}
                      csrfToken={props.csrfToken}
                      label={words.markRead}
                    />
                  )}
                </footer>
              </article>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export const notificationPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/notifications',
    access: 'signed-in',
    handler: async ({ app, principal, request, csrfToken }) => {
      const unreadOnly = request.query['non-lues'] === 'oui';
      const items = await inbox(app.db, principal.userId, { unreadOnly, limit: shownMax });
      return { page: <InboxPage viewer={principal} csrfToken={csrfToken} unreadOnly={unreadOnly} items={items} /> };
    },
  }),
  definePage({
    method: 'post',
    path: '/notifications/:notificationId/lue',
    access: 'signed-in',
    handler: async ({ app, principal, request }) => {
      // Another person's notification, or no notification at all: the same 404 page.
      await markRead(app.db, principal.userId, idOf(request.params.notificationId, words.notificationMissing));
      return { redirect: '/notifications' };
    },
  }),
];
