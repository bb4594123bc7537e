// The onepw protocol in the browser, served at `/assets/onepw.js` and
// loaded before the sign-in and settings scripts, which share it.
//
// WebCrypto only: PBKDF2-SHA256 ×1000 salted with the email and HKDF to
// authPW (sent) and unwrapBKey (kept in the page); token ids derived from
// tokens; the `/account/keys` bundle checked and opened into kB. It also
// holds the pages' one way to call the API, which never sends cookies
// unless told to (only the calls that act on the web session do), and the
// one way to put the API's refusals into words.
"use strict";
window.fxaOnepw = Object.freeze((function () {
  const encoder = new TextEncoder();
  const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
  const unhex = (text) => new Uint8Array(text.match(/../g).map((h) => parseInt(h, 16)));
  const onepw = (name) => "identity.mozilla.com/picl/v1/" + name;
  const xor = (a, b) => a.map((byte, i) => byte ^ b[i]);
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  };
  const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));

  async function hkdf(ikm, info, bytes = 32, salt = new Uint8Array(0)) {
    const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
    return new Uint8Array(await crypto.subtle.deriveBits(
      { name: "HKDF", hash: "SHA-256", salt, info: encoder.encode(info) }, key, bytes * 8));
  }

  // onepw v1: quickStretchedPW = PBKDF2(password, "…quickStretch:" + email, 1000);
  // authPW (sent) and unwrapBKey (kept here, only when asked for) are HKDFs of it.
  async function stretch(address, password, withUnwrapBKey) {
    const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
    const quick = new Uint8Array(await crypto.subtle.deriveBits({
      name: "PBKDF2", hash: "SHA-256", iterations: 1000, salt: encoder.encode(onepw("quickStretch:") + address),
    }, key, 256));
    try {
      return {
        authPW: hex(await hkdf(quick, onepw("authPW"))),
        unwrapBKey: withUnwrapBKey ? await hkdf(quick, onepw("unwrapBkey")) : null,
      };
    } finally {
      quick.fill(0);
    }
  }

  // The id that authenticates a token of `kind`: HKDF(token, "…<kind>")[0:32].
  async function tokenID(kind, token) {
    return hex(await hkdf(typeof token === "string" ? unhex(token) : token, onepw(kind)));
  }

  // JSON to our API. `auth` is a token id (a session's unless it carries
  // its own prefix); cookies go only with credentials "same-origin".
  async function api(path, body, auth, method = "POST", credentials = "omit", extraHeaders = {}) {
    const headers = { "Content-Type": "application/json", ...extraHeaders };
    if (auth) headers.Authorization = auth.startsWith("fx") ? "Bearer " + auth : "Bearer fxs_" + auth;
    const init = { method, headers, credentials };
    if (method === "POST") init.body = JSON.stringify(body);
    const response = await fetch(path, init);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.message || "The server refused the request (" + response.status + ")");
      error.errno = data.errno;
      error.data = data;
      throw error;
    }
    return data;
  }

  // kB = wrapKb XOR unwrapBKey, from the bundle that only this key-fetch
  // token can open (onepw: tokenId || reqHMACkey || keyRequestKey; the
  // bundle is XORed and MACed with keys derived from keyRequestKey). The
  // token (single-use) and unwrapBKey are zeroed whatever happens.
  async function fetchKB(token, unwrapBKey) {
    const material = await hkdf(token, onepw("keyFetchToken"), 96);
    let keys = null, plain = null;
    try {
      const answer = await api("/v1/account/keys", null, "fxk_" + hex(material.slice(0, 32)), "GET");
      const bundle = unhex(answer.bundle);
      keys = await hkdf(material.slice(64, 96), onepw("account/keys"), 96);
      const macKey = await crypto.subtle.importKey("raw", keys.slice(0, 32), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
      if (!await crypto.subtle.verify("HMAC", macKey, bundle.slice(64, 96), bundle.slice(0, 64))) {
        throw new Error("The server's key bundle did not verify.");
      }
      plain = xor(bundle.slice(0, 64), keys.slice(32, 96));
      return xor(plain.slice(32, 64), unwrapBKey);
    } finally {
      for (const secret of [token, unwrapBKey, material, keys, plain]) if (secret) secret.fill(0);
    }
  }

  // What the server's refusals mean to a person, never the API's own text
  // ("Invalid parameter in request body"). Errors the page throws itself
  // carry no errno and say what they say.
  function humanMessage(error) {
    const data = error.data || {};
    const fields = (data.validation && data.validation.keys) || [];
    switch (error.errno) {
      case undefined: return error.message;
      case 114: {
        const seconds = Math.max(1, Number(data.retryAfter) || 60);
        const wait = seconds < 90 ? seconds + " seconds" : Math.ceil(seconds / 60) + " minutes";
        return "Too many attempts. Wait " + wait + ", then try again.";
      }
      case 102: return "There is no account with that email address.";
      case 103: return "That password is not right.";
      case 105: case 183: return "That code is not right, or it has expired. Use the newest one we sent.";
      case 106: case 107: case 108:
        return fields.includes("code") ? "That is not the code from our email: check it and try again."
          : fields.includes("email") ? "That is not an email address." : "Check what you typed and try again.";
      case 125: case 126: return "This sign-in was blocked to protect the account. Try again later.";
      case 139: case 140: return "That email address belongs to another account.";
      case 999: return "Something went wrong on the server. Try again in a moment.";
      default: return error.message;
    }
  }

  return { encoder, hex, unhex, onepw, xor, concat, b64url, sha256, hkdf, stretch, tokenID, api, fetchKB, humanMessage };
})());
