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
