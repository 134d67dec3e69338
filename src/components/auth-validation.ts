/** Quick checks before a request; the server re-checks everything (strength included). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const PASSWORD_MIN_LENGTH = 10; // same rule as src/server/auth/password.ts

export type AuthFieldError = "nameRequired" | "emailInvalid" | "passwordRequired" | "passwordTooShort";

export function checkEmail(email: string): AuthFieldError | undefined {
  return EMAIL.test(email.trim()) ? undefined : "emailInvalid";
}

export function checkName(name: string): AuthFieldError | undefined {
  return name.trim().length >= 2 ? undefined : "nameRequired";
}

export function checkNewPassword(password: string): AuthFieldError | undefined {
  if (!password) return "passwordRequired";
  return password.length >= PASSWORD_MIN_LENGTH ? undefined : "passwordTooShort";
}
