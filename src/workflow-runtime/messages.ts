/**
 * What the workflow-runtime module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const workflowRuntimeMessages = {
  roleCannotTakeStep: 'Votre rôle ne permet pas cette étape du parcours.',
  stepRefusesEvent: (state: string, event: string) => `L'étape « ${state} » n'accepte pas « ${event} ».`,
  guardNotMet: (event: string, state: string) =>
    `Les conditions de « ${event} » ne sont pas réunies à l'étape « ${state} ».`,
  changedMeanwhile: 'Ce dossier vient de changer : rechargez-le.',
} as const;
