import type { Response } from 'express';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';

/** A whole page, rendered on the server; every text is escaped by preact unless a component says otherwise. */
export function sendPage(response: Response, page: VNode, status = 200): void {
  response
    .status(status)
    .type('html')
    .send(`<!doctype html>${render(page)}`);
}
