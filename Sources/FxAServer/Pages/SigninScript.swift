/// The sign-in page's script, served at `/assets/signin.js` from the binary
/// itself (no CDN, nothing fetched from elsewhere; the page's CSP allows
/// scripts from our own origin only).
///
/// It runs the email-first flow against the same `/v1` API that PyFxA
/// uses: `account/status` decides between sign-in and sign-up, the password
/// is stretched in the browser (onepw: PBKDF2-SHA256 ×1000 salted with the
/// email, then HKDF to authPW) so it never reaches the server, an emailed
/// code confirms the account or the sign-in when the server asks for one,
/// and `POST /v1/oauth/authorization` with the new session (prefixed Bearer
/// of its token id) returns the RP's redirect URL with `code` and `state`.
enum SigninScript {
    static let source = #"""
"use strict";
(function () {
  const request = JSON.parse(document.getElementById("authorization-request").textContent);
  const $ = (id) => document.getElementById(id);
  const encoder = new TextEncoder();
  const steps = ["email-form", "password-form", "code-form", "consent"];
  let email = request.email || request.loginHint || "";
  let signingUp = false;
  let session = null;
  const metricsContext = request.flowId ? { flowId: request.flowId, flowBeginTime: request.flowBeginTime } : undefined;

  const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
  const unhex = (text) => new Uint8Array(text.match(/../g).map((h) => parseInt(h, 16)));

  function show(step) {
    for (const id of steps) $(id).hidden = id !== step;
    const field = $(step).querySelector("input:not([readonly]), button");
    if (field) field.focus();
  }
  function say(text) { $("message").textContent = text || ""; }

  async function hkdf(ikm, info) {
    const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
    return crypto.subtle.deriveBits(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(info) }, key, 256);
  }

  // onepw v1: quickStretchedPW = PBKDF2(password, "…quickStretch:" + email, 1000); authPW = HKDF(…"authPW").
  async function authPW(address, password) {
    const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
    const quick = await crypto.subtle.deriveBits({
      name: "PBKDF2", hash: "SHA-256", iterations: 1000,
      salt: encoder.encode("identity.mozilla.com/picl/v1/quickStretch:" + address),
    }, key, 256);
    return hex(await hkdf(quick, "identity.mozilla.com/picl/v1/authPW"));
  }

  // The id that authenticates a session token: HKDF(token, "…sessionToken")[0:32].
  async function sessionTokenID(token) {
    return hex(await hkdf(unhex(token), "identity.mozilla.com/picl/v1/sessionToken"));
  }

  async function api(path, body, auth) {
    const headers = { "Content-Type": "application/json" };
    if (auth) headers.Authorization = "Bearer fxs_" + auth;
    const response = await fetch(path, { method: "POST", headers, body: JSON.stringify(body), credentials: "omit" });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.message || "The server refused the request (" + response.status + ")");
      error.errno = data.errno;
      error.data = data;
      throw error;
    }
    return data;
  }

  function guard(form, action) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const buttons = form.querySelectorAll("button");
      buttons.forEach((b) => { b.disabled = true; });
      say("");
      try { await action(); } catch (error) { say(error.message); } finally { buttons.forEach((b) => { b.disabled = false; }); }
    });
  }

  function askPassword(exists) {
    signingUp = !exists;
    $("password-email").textContent = email;
    $("password-intro").textContent = exists ? "Enter your password." : "Create a password (at least 8 characters) to make an account.";
    $("confirm-row").hidden = exists;
    $("password-confirm").required = !exists;
    $("password").autocomplete = exists ? "current-password" : "new-password";
    $("password-submit").textContent = exists ? "Sign in" : "Create account";
    show("password-form");
  }

  guard($("email-form"), async () => {
    email = $("email").value.trim();
    if (request.action === "signin" || request.action === "force_auth") return askPassword(true);
    if (request.action === "signup") return askPassword(false);
    const status = await api("/v1/account/status", { email });
    askPassword(status.exists);
  });

  guard($("password-form"), async () => {
    const password = $("password").value;
    if (signingUp) {
      if (password.length < 8) throw new Error("Use at least 8 characters.");
      if (password.toLowerCase() === email.toLowerCase()) throw new Error("Your password cannot be your email address.");
      if (password !== $("password-confirm").value) throw new Error("The passwords do not match.");
      const created = await api("/v1/account/create",
        { email, authPW: await authPW(email, password), service: request.clientId, metricsContext });
      return started(created);
    }
    const body = { email, authPW: await authPW(email, password), service: request.clientId, reason: "signin", metricsContext };
    try {
      return started(await api("/v1/account/login", body));
    } catch (error) {
      if (error.errno !== 120 || !error.data.email) throw error;
      // onepw salts with the address the account was created with (another
      // letter case, or the old address after a primary-email change);
      // originalLoginEmail says which address the user signed in with.
      const hashEmail = error.data.email;
      return started(await api("/v1/account/login",
        { ...body, email: hashEmail, originalLoginEmail: email, authPW: await authPW(hashEmail, password) }));
    }
  });

  async function started(response) {
    session = { uid: response.uid, id: await sessionTokenID(response.sessionToken), reason: response.verificationReason };
    $("password").value = "";
    $("password-confirm").value = "";
    if (response.verified) return consentOrFinish();
    $("code-email").textContent = email;
    show("code-form");
  }

  guard($("code-form"), async () => {
    const code = $("code").value.trim();
    if (session.reason === "signup") {
      await api("/v1/recovery_email/verify_code", { uid: session.uid, code });
    } else {
      await api("/v1/session/verify_code", { code }, session.id);
    }
    await consentOrFinish();
  });

  $("resend").addEventListener("click", async () => {
    try { await api("/v1/session/resend_code", {}, session.id); say("We sent a new code."); } catch (error) { say(error.message); }
  });

  function consentOrFinish() {
    if (request.askConsent) { show("consent"); return; }
    return finish();
  }

  guard($("consent"), () => finish());
  // The session exists only to authorize this one request: it is destroyed
  // before leaving, so no sign-in through this page leaves a live session
  // token behind. (Browser sessions for single sign-on come with settings.)
  async function forgetSession() {
    if (!session) return;
    try { await api("/v1/session/destroy", {}, session.id); } catch (error) { /* already gone */ }
    session = null;
  }

  $("deny").addEventListener("click", async () => {
    await forgetSession();
    window.location.assign(request.denyRedirect);
  });

  async function finish() {
    const body = {
      client_id: request.clientId, scope: request.scope, state: request.state, access_type: request.accessType,
    };
    if (request.redirectUri) body.redirect_uri = request.redirectUri;
    if (request.codeChallenge) { body.code_challenge = request.codeChallenge; body.code_challenge_method = "S256"; }
    if (request.nonce) body.nonce = request.nonce;
    const answer = await api("/v1/oauth/authorization", body, session.id);
    await forgetSession();
    say("Signed in. Returning to " + request.clientName + "…");
    window.location.assign(answer.redirect);
  }

  $("email").value = email;
  if (request.action === "force_auth") $("email").readOnly = true;
  show("email-form");
})();
"""#
}
