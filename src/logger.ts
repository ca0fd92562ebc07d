import { pino, type Logger } from 'pino';

/** Structured JSON logs. Secrets are redacted by path, whatever logs them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'milliard' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'password',
        '*.password',
        'token',
        '*.token',
      ],
      censor: '[masqué]',
    },
  });
}
