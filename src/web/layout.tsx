import type { ComponentChildren } from 'preact';
import { webMessages } from './messages';

/** Who is looking at the page, as the frame shows it. */
export type Viewer = { displayName: string } | undefined;

/**
 * The frame of every page: the language, a link to skip to the content, the
 * landmarks (banner, navigation, main, contentinfo) and the sign-out form. Pico
 * CSS styles plain HTML; `milliard.css` holds what is ours.
 */
export function Layout(props: {
  title: string;
  viewer: Viewer;
  csrfToken: string;
  /** Work in progress (an import): the page reloads itself until done, no script needed. */
  refreshSeconds?: number;
  children: ComponentChildren;
}) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — milliard`}</title>
        {props.refreshSeconds && <meta http-equiv="refresh" content={String(props.refreshSeconds)} />}
        <link rel="stylesheet" href="/assets/pico.min.css" />
        <link rel="stylesheet" href="/assets/milliard.css" />
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          {webMessages.skipToContent}
        </a>
        <header class="container">
          <nav aria-label={webMessages.mainNavigation}>
            <ul>
              <li>
                <a href="/" class="brand">
                  milliard
                </a>
              </li>
            </ul>
            <ul>
              {props.viewer && props.csrfToken ? (
                <>
                  <li>
                    <a href="/notifications">{webMessages.notifications}</a>
                  </li>
                  <li>{props.viewer.displayName}</li>
                  <li>
                    <ActionButton action="/deconnexion" csrfToken={props.csrfToken} label={webMessages.signOut} />
                  </li>
                </>
              ) : (
                !props.viewer && (
                  <li>
                    <a href="/connexion">{webMessages.signIn}</a>
                  </li>
                )
              )}
            </ul>
          </nav>
        </header>
        <main id="contenu" class="container" tabIndex={-1}>
          {props.children}
        </main>
        <footer class="container">
          <small>{webMessages.footer}</small>
        </footer>
      </body>
    </html>
  );
}

/** The anti-forgery token every form that changes something carries (checked on every non-GET page). */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** One action as a button (a form of its own, posted with the page's token): sign out, mark as read… */
export function ActionButton(props: { action: string; csrfToken: string; label: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <CsrfField token={props.csrfToken} />
      <button type="submit" class="secondary outline">
        {props.label}
      </button>
    </form>
  );
}
