import bcrypt from "bcryptjs";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

// bcryptjs is pure JS (no native build to break on a new Node); cost 12 ≈ 0.3 s per hash here.
const BCRYPT_COST = process.env.NODE_ENV === "test" ? 4 : 12;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128; // bcrypt reads 72 bytes; longer inputs are refused, not truncated silently

const strength = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });

export type PasswordProblem = "tooShort" | "tooLong" | "tooWeak";

/** Length plus an entropy estimate (zxcvbn score ≥ 3), with the user's own name/e-mail as hints. */
export function checkPasswordStrength(password: string, userInputs: string[] = []): PasswordProblem | null {
  if (password.length < PASSWORD_MIN_LENGTH) return "tooShort";
  if (Buffer.byteLength(password, "utf8") > 72 || password.length > PASSWORD_MAX_LENGTH) return "tooLong";
  const hints = userInputs
    .flatMap((v) => [v, ...v.split(/[@.\s_-]+/)])
    .map((v) => v.toLowerCase())
    .filter((v) => v.length >= 3);
  if (strength.check(password, hints).score < 3) return "tooWeak";
  // zxcvbn still rates "mariasilva2024" well for Maria Silva; judge what is left without her name.
  const rest = hints.reduce((left, hint) => left.replaceAll(hint, ""), password.toLowerCase());
  if (rest !== password.toLowerCase() && (rest.length < 6 || strength.check(rest).score < 3)) return "tooWeak";
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// Compared against when the e-mail is unknown, so a miss costs the same time as a wrong password.
const DUMMY_HASH = bcrypt.hashSync("timing-equaliser-not-a-password", BCRYPT_COST);
export async function burnPasswordCheck(password: string): Promise<false> {
  await bcrypt.compare(password, DUMMY_HASH);
  return false;
}
