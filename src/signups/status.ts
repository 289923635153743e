/** A sign-up's state: confirmed and attended hold a place; waitlisted waits for one. */
export const signupStatuses = ["confirmed", "waitlisted", "cancelled", "attended"] as const;

export type SignupStatus = (typeof signupStatuses)[number];
