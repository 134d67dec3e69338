import "server-only";

import { env } from "~/env";
import { decryptSecret, encryptSecret, parseKey, type KeyRing } from "./crypto";

let ring: KeyRing | undefined;

function keyRing(): KeyRing {
  ring ??= {
    current: parseKey(env.TOKEN_ENCRYPTION_KEY),
    previous: (env.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? "")
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean)
      .map(parseKey),
  };
  return ring;
}

export const encrypt = (plaintext: string) => encryptSecret(plaintext, keyRing());
export const decrypt = (ciphertext: string) => decryptSecret(ciphertext, keyRing());
