import type { Request, Response } from 'express';
import type { Problem } from '../http/problem';
import { Layout } from './layout';
import { webMessages } from './messages';
import { sendPage } from './render';

/** A refusal or an error met on a page, as a page: what happened in plain French, and the way back. */
export function problemPage(problem: Problem & { requestId?: string }, _request: Request, response: Response): void {
  const principal = response.locals.principal as { displayName: string } | undefined;
  sendPage(
    response,
    <Layout title={problem.title} viewer={principal} csrfToken="">
      <h1>{problem.title}</h1>
      <p>{problem.status === 404 ? webMessages.notFound : problem.detail}</p>
      {problem.requestId && problem.status >= 500 && <p>{webMessages.requestId(problem.requestId)}</p>}
      <p>
        <a href="/">{webMessages.errorPageBack}</a>
      </p>
    </Layout>,
    problem.status,
  );
}
