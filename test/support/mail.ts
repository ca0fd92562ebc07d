import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';

/** An e-mail the outbox folder holds, decoded as a mail client would (quoted-printable, headers). */
export async function readMail(
  folder: string,
  fileName: string,
): Promise<{ to: string; subject: string; text: string }> {
  const mail = await simpleParser(fs.readFileSync(path.join(folder, fileName)));
  const to = Array.isArray(mail.to) ? mail.to.map((address) => address.text).join(', ') : (mail.to?.text ?? '');
  return { to, subject: mail.subject ?? '', text: mail.text ?? '' };
}
