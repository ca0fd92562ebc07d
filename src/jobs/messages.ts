/**
 * What the jobs module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const jobsMessages = {
  queueUnavailable: 'La file de tâches (Redis) ne répond pas : réessayez dans un instant.',
  jobMissing: 'Cette tâche est introuvable.',
  jobNotFailed: "Cette tâche n'est pas en échec.",
  aptGetFailed: (command: string) => `${command} a échoué.`,
  redisStillMissing: 'redis-server reste introuvable après apt-get install.',
  redisStoppedAtStart: (exitCode: number | null, port: number) =>
    `redis-server s'est arrêté au démarrage (code ${exitCode}) : le port ${port} est peut-être pris (LOCAL_REDIS_PORT).`,
  redisNotAnswering: (port: number, timeoutMs: number) =>
    `redis-server ne répond pas sur le port ${port} après ${timeoutMs} ms.`,
} as const;

/** What the failed jobs' page says, in French, in one place. */
export const jobsPageMessages = {
  failedTitle: 'Tâches en échec',
  failedLead:
    'Les tâches qui ont échoué après toutes leurs tentatives (un e-mail, un document, un import). Leurs effets sont idempotents : une tâche relancée ne fait rien deux fois.',
  noFailed: 'Aucune tâche en échec.',
  columns: { name: 'Tâche', error: 'Erreur', attempts: 'Tentatives', failed: 'En échec depuis', action: 'Action' },
  retry: 'Relancer',
  retryNamed: (name: string, id: string) => `Relancer la tâche ${name} n° ${id}`,
  retried: (name: string) => `La tâche ${name} est relancée.`,
  queueUnreachable: 'La file des tâches ne répond pas : vérifiez que Redis tourne.',
} as const;
