import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { AppContext } from '../context';

/** SMTP when configured, otherwise an .eml file in the local mail outbox. */
export async function deliver(app: AppContext, message: nodemailer.SendMailOptions, fileName: string): Promise<void> {
  if (app.config.smtpUrl) {
    await nodemailer.createTransport(app.config.smtpUrl).sendMail(message);
    return;
  }
  const written = await nodemailer
    .createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
    .sendMail(message);
  await fs.mkdir(app.config.mailOutboxDir, { recursive: true });
  await fs.writeFile(path.join(app.config.mailOutboxDir, fileName), written.message as Buffer);
}
