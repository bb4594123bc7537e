// Account recovery keys in the browser, as FxA's clients make and use them
// (fxa-auth-client's recoveryKey.ts), served at `/assets/recoverykey.js`
// after onepw.js. The key never leaves the page:
//
// - a key is 20 random bytes, the first 5 bits 01010 so its Crockford
//   base32 form (32 characters, shown in groups of 4) starts with "A";
// - its fingerprint (`recoveryKeyId`) and encryption key are HKDF-SHA256 of
//   it, salted with the account's uid ("fxa recovery fingerprint", 16
//   bytes; "fxa recovery encrypt key", 32 bytes);
// - kB goes to the server sealed in a compact JWE (dir, A256GCM, the
//   protected header as additional data), which only the key opens.
"use strict";
window.fxaRecoveryKey = Object.freeze((function () {
  const fxa = window.fxaOnepw;
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  function encode(bytes) {
    let bits = 0, value = 0, out = "";
    for (const byte of bytes) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) { out += alphabet[(value >>> (bits - 5)) & 31]; bits -= 5; }
    }
    if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
    return out;
  }

  // Crockford's decoding: case-insensitive, O as 0, I and L as 1; spaces
  // and dashes ignored. Null for anything else, or not 20 bytes.
  function decode(text) {
    const cleaned = text.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
    if (cleaned.length !== 32) return null;
    let bits = 0, value = 0;
    const out = [];
    for (const ch of cleaned) {
      const digit = alphabet.indexOf(ch);
      if (digit < 0) return null;
      value = ((value << 5) | digit) & 0xffff;
      bits += 5;
      if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
    }
    return out.length === 20 ? new Uint8Array(out) : null;
  }

  function generate() {
    const key = crypto.getRandomValues(new Uint8Array(20));
    key[0] = 0x50 | (0x07 & key[0]);
    return key;
  }

  // In groups of four, as the user writes it down.
  function format(key) {
    return encode(key).match(/.{4}/g).join(" ");
  }

  async function derive(key, uid) {
    const salt = fxa.unhex(uid);
    const id = fxa.hex(await fxa.hkdf(key, "fxa recovery fingerprint", 16, salt));
    const raw = await fxa.hkdf(key, "fxa recovery encrypt key", 32, salt);
    const encryptionKey = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    return { id, encryptionKey };
  }

  function fromB64url(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }

  // kB (hex) sealed for the server; returns { recoveryKeyId, recoveryData }.
  async function seal(key, uid, kB) {
    const { id, encryptionKey } = await derive(key, uid);
    const header = fxa.b64url(fxa.encoder.encode(JSON.stringify({ enc: "A256GCM", alg: "dir", kid: id })));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: fxa.encoder.encode(header), tagLength: 128 },
      encryptionKey, fxa.encoder.encode(JSON.stringify({ kB }))));
    const ciphertext = sealed.slice(0, sealed.length - 16);
    const tag = sealed.slice(sealed.length - 16);
    return { recoveryKeyId: id, recoveryData: [header, "", fxa.b64url(iv), fxa.b64url(ciphertext), fxa.b64url(tag)].join(".") };
  }

  // kB (hex) from the server's recoveryData; throws when the key is wrong.
  async function open(key, uid, recoveryData) {
    const { encryptionKey } = await derive(key, uid);
    const [header, , iv, ciphertext, tag] = recoveryData.split(".");
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromB64url(iv), additionalData: fxa.encoder.encode(header), tagLength: 128 },
      encryptionKey, fxa.concat(fromB64url(ciphertext), fromB64url(tag)));
    return JSON.parse(new TextDecoder().decode(plain)).kB;
  }

  return { generate, format, decode, derive, seal, open };
})());
