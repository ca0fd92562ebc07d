/**
 * Where a request to pay stands, as its payments go (see `requestsWithStatus` in
 * requests.ts): the words every module shows its people for a payment.
 */
export const paymentStatuses = ['requested', 'in-payment', 'in-batch', 'sent', 'paid', 'returned'] as const;
