// The sign-in page's script, served at `/assets/signin.js` from the binary
// itself, after `/assets/onepw.js` (onepw.js), which it uses. No
// CDN, nothing fetched from elsewhere: the page's CSP allows scripts from
// our own origin only.
//
// It runs the email-first flow against the same `/v1` API that PyFxA
// uses: `account/status` decides between sign-in and sign-up, the password
// is stretched in the browser (onepw: PBKDF2-SHA256 ×1000 salted with the
// email, then HKDF to authPW) so it never reaches the server, an emailed
// code confirms the account or the sign-in when the server asks for one,
// a forgotten password is reset by an emailed code, and
// `POST /v1/oauth/authorization` with the new session (prefixed Bearer
// of its token id) returns the RP's redirect URL with `code` and `state`.
//
// When the RP sent `keys_jwk` and asked for key-bearing scopes it may
// have, the page also signs in with `?keys=true`, fetches and unwraps kB
// (`/account/keys`, whose bundle only the key-fetch token opens), asks
// `/account/scoped-key-data` for the derivation inputs, derives each
// scoped key as fxa-crypto-relier does, and encrypts them to the RP's key
// (JWE: ECDH-ES, A256GCM, Concat KDF): kB and the keys never leave the
// browser unencrypted, and only the RP can open `keys_jwe`.
"use strict";
(function () {
  const request = JSON.parse(document.getElementById("authorization-request").textContent);
  const $ = (id) => document.getElementById(id);
  const fxa = window.fxaOnepw;
  const { encoder, hex, unhex, onepw, concat, b64url, sha256, hkdf, api } = fxa;
  // The consent step exists only on the RP's page (not on /signin), the
  // engines and done steps only on Firefox's.
  const steps = ["signed-in-form", "email-form", "password-form", "code-form", "totp-form", "backup-code-form", "forgot-code-form", "recovery-key-form", "reset-totp-form", "reset-backup-code-form", "reset-form", "consent",
    "two-step-required", "sync-engines-form", "firefox-done"].filter((id) => $(id));
  const webSignin = request.mode === "web";
  let email = request.email || request.loginHint || "";
  let signingUp = false;
  let session = null;
  // Continuing as the browser's signed-in account (single sign-on): the
  // code then comes from the web session, and no password is asked for.
  let continuing = false;
  // Only while keys are wanted: the key-fetch token and unwrapBKey, kept
  // until kB is fetched and then dropped.
  let keyFetch = null;
  // The encrypted keys once made: a retry of the authorization reuses them
  // (the key-fetch token that unlocked kB is single-use).
  let preparedJWE = null;
  const wantsKeys = Boolean(request.keysJwk);
  // Firefox's own sign-in: the end is a WebChannel message, not a redirect.
  const webChannel = request.webChannel || null;
  const firefox = webChannel ? window.fxaWebChannel : null;
  // Firefox's answer to fxaccounts:fxa_status (null: a page Firefox did
  // not open has nobody to talk to), and the Sync engines it offers.
  let firefoxStatus = Promise.resolve(null);
  let offeredEngines = [];
  let declinedEngines = [];
  // The session token itself, kept only to hand to Firefox, whose session it is.
  let sessionToken = null;
  const metricsContext = request.flowId ? { flowId: request.flowId, flowBeginTime: request.flowBeginTime } : undefined;

  // Firefox's page names each step in its heading.
  const headings = { "sync-engines-form": "Choose what to sync", "firefox-done": "Firefox is signed in", "code-form": "Confirm your email",
    "totp-form": "Two-step authentication", "backup-code-form": "Two-step authentication",
    "reset-totp-form": "Two-step authentication", "reset-backup-code-form": "Two-step authentication" };
  const firstHeading = $("heading") ? $("heading").textContent : "";
  // A development server keeps its mail at /__mail__; a production one
  // answers 404 there. Asked once, when a code is first awaited.
  let mailboxChecked = false;
  async function pointToMailbox() {
    if (mailboxChecked) return;
    mailboxChecked = true;
    const answer = await fetch("/__mail__", { method: "HEAD", credentials: "omit" }).catch(() => null);
    if (!answer || !answer.ok) return;
    document.querySelectorAll(".dev-mailbox").forEach((hint) => { hint.hidden = false; });
  }

  function show(step) {
    if (step === "code-form" || step === "forgot-code-form") pointToMailbox();
    for (const id of steps) $(id).hidden = id !== step;
    if (webChannel && $("heading")) {
      $("heading").textContent = headings[step] || (step === "password-form" && signingUp ? "Create your account" : firstHeading);
    }
    const field = $(step).querySelector("input:not([readonly]), button");
    if (field) field.focus();
  }
  function say(text) { $("message").textContent = text || ""; }

  async function stretch(address, password) { return fxa.stretch(address, password, wantsKeys); }

  function guard(form, action) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const buttons = form.querySelectorAll("button");
      buttons.forEach((b) => { b.disabled = true; });
      say("");
      try { await action(); } catch (error) { say(fxa.humanMessage(error)); } finally { buttons.forEach((b) => { b.disabled = false; }); }
    });
  }

  function askPassword(exists) {
    signingUp = !exists;
    $("password-email").textContent = email;
    $("password-intro").textContent = exists ? "Enter your password." : "Create a password (at least 8 characters) to make an account.";
    $("confirm-row").hidden = exists;
    $("forgot").hidden = !exists;
    $("password-confirm").required = !exists;
    $("password").autocomplete = exists ? "current-password" : "new-password";
    $("password-submit").textContent = exists ? "Sign in" : "Create account";
    show("password-form");
  }

  $("change-email").addEventListener("click", () => {
    say("");
    $("email").value = email;
    $("password").value = "";
    $("password-confirm").value = "";
    show("email-form");
  });

  guard($("email-form"), async () => {
    email = $("email").value.trim();
    if (request.action === "signin" || request.action === "force_auth") return askPassword(true);
    if (request.action === "signup") return askPassword(false);
    const status = await api("/v1/account/status", { email });
    askPassword(status.exists);
  });

  guard($("password-form"), async () => {
    if (firefox && !(await firefoxStatus)) throw new Error("Open this page from Firefox's menu (Sign in) to sign in to Firefox.");
    const password = $("password").value;
    const keysQuery = wantsKeys ? "?keys=true" : "";
    if (signingUp) {
      if (password.length < 8) throw new Error("Use at least 8 characters.");
      if (password.toLowerCase() === email.toLowerCase()) throw new Error("Your password cannot be your email address.");
      if (password !== $("password-confirm").value) throw new Error("The passwords do not match.");
      const stretched = await stretch(email, password);
      // email-otp: the code mailed is six digits, confirmed with the session.
      const created = await api("/v1/account/create" + keysQuery,
        { email, authPW: stretched.authPW, service: request.clientId, verificationMethod: "email-otp", metricsContext });
      return started(created, stretched);
    }
    let stretched = await stretch(email, password);
    const body = { email, authPW: stretched.authPW, service: request.clientId, reason: "signin", verificationMethod: "email-otp", metricsContext };
    try {
      return started(await api("/v1/account/login" + keysQuery, body), stretched);
    } catch (error) {
      if (error.errno !== 120 || !error.data.email) throw error;
      // onepw salts with the address the account was created with (another
      // letter case, or the old address after a primary-email change);
      // originalLoginEmail says which address the user signed in with.
      const hashEmail = error.data.email;
      stretched = await stretch(hashEmail, password);
      return started(await api("/v1/account/login" + keysQuery,
        { ...body, email: hashEmail, originalLoginEmail: email, authPW: stretched.authPW }), stretched);
    }
  });

  async function started(response, stretched) {
    session = { uid: response.uid, id: await fxa.tokenID("sessionToken", response.sessionToken) };
    keyFetch = wantsKeys && response.keyFetchToken
      ? { token: unhex(response.keyFetchToken), unwrapBKey: stretched.unwrapBKey } : null;
    preparedJWE = null;
    $("password").value = "";
    $("password-confirm").value = "";
    if (firefox) {
      sessionToken = response.sessionToken;
      // Firefox warns when another account was signed in on this profile
      // before, and may refuse: then nothing is sent to it.
      const link = await firefox.request("fxaccounts:can_link_account", { email, uid: response.uid }, 0);
      if (!link || !link.ok) {
        await forgetSession();
        show("email-form");
        throw new Error("Firefox did not sign in to this account.");
      }
    }
    if (response.verified) return consentOrFinish();
    // Two-step authentication: the code comes from the user's app, and
    // no email is sent.
    if (response.verificationMethod === "totp-2fa") {
      $("totp-email").textContent = email;
      return show("totp-form");
    }
    $("code-email").textContent = email;
    show("code-form");
  }

  $("use-backup-code").addEventListener("click", () => { say(""); show("backup-code-form"); });

  // A backup code in place of the app's; it is spent, and the user is
  // emailed that it was used.
  guard($("backup-code-form"), async () => {
    try {
      await api("/v1/session/verify/recoveryCode", { code: $("backup-code").value.trim() }, session.id);
    } catch (error) {
      if (error.errno === 156 || error.errno === 107) throw new Error("That backup code did not work. Each code works once.");
      throw error;
    } finally {
      $("backup-code").value = "";
    }
    await consentOrFinish();
  });

  guard($("totp-form"), async () => {
    const answer = await api("/v1/session/verify/totp", { code: $("totp-code").value.trim() }, session.id);
    $("totp-code").value = "";
    if (!answer.success) throw new Error("That code did not work. Enter the code your app shows now.");
    await consentOrFinish();
  });

  // The sign-up code and the sign-in code are both six digits and both
  // confirm this session (a sign-up's also confirms the email).
  guard($("code-form"), async () => {
    const code = $("code").value.trim();
    if (!/^[0-9]{6}$/.test(code)) throw new Error("That is not the code from our email: it is 6 digits.");
    await api("/v1/session/verify_code", { code }, session.id);
    $("code").value = "";
    await consentOrFinish();
  });

  // Forgot password (FxA's OTP flow): an emailed code, exchanged for a
  // password-forgot token, then an account-reset token, which sets the new
  // password (stretched here). The server makes a new kB: keys change,
  // unless the account recovery key opens the old kB here in the page.
  // With two-step authentication on, the reset also needs the app's code
  // or a backup code, given with the password-forgot token before it is
  // exchanged, or the recovery key, which counts as the second factor.
  let reset = null;
  async function startForgot() {
    await api("/v1/password/forgot/send_otp", { email, service: request.clientId });
    $("forgot-email").textContent = email;
    show("forgot-code-form");
  }
  $("forgot").addEventListener("click", async () => {
    say("");
    try { await startForgot(); } catch (error) { say(fxa.humanMessage(error)); }
  });

  guard($("forgot-code-form"), async () => {
    const otp = await api("/v1/password/forgot/verify_otp", { email, code: $("forgot-code").value.trim() });
    const forgotToken = "fxpf_" + await fxa.tokenID("passwordForgotToken", otp.token);
    const [recovery, twoStep] = await Promise.all([
      api("/v1/recoveryKey/exists", {}, forgotToken).catch(() => ({ exists: false })),
      api("/v1/totp/exists", null, forgotToken, "GET").catch(() => ({ exists: false })),
    ]);
    reset = {
      hashEmail: otp.emailToHashWith, uid: otp.uid, forgot: { token: forgotToken, code: otp.code }, token: null,
      hasKey: recovery.exists, twoStep: twoStep.exists, kB: null, keyId: null,
    };
    $("forgot-code").value = "";
    if (reset.hasKey) {
      $("recovery-key-hint").textContent = recovery.hint ? "Your hint: " + recovery.hint : "";
      return show("recovery-key-form");
    }
    if (reset.twoStep) return show("reset-totp-form");
    showReset();
  });

  // The account-reset token, made once from the password-forgot token
  // (which that spends): after the second factor, or for the recovery key.
  async function resetAuthorization() {
    if (!reset.token) {
      const answer = await api("/v1/password/forgot/verify_code",
        { code: reset.forgot.code, accountResetWithRecoveryKey: reset.hasKey }, reset.forgot.token);
      reset.token = answer.accountResetToken;
    }
    return "fxar_" + await fxa.tokenID("accountResetToken", reset.token);
  }

  function showReset() {
    $("reset-keys-lost").hidden = reset.kB !== null;
    $("reset-keys-kept").hidden = reset.kB === null;
    show("reset-form");
  }

  // The account recovery key (recoverykey.js): its fingerprint fetches the
  // sealed kB, which only the key opens, here in the page.
  guard($("recovery-key-form"), async () => {
    const keys = window.fxaRecoveryKey;
    const key = keys.decode($("recovery-key").value);
    if (!key) throw new Error("An account recovery key is 32 letters and digits.");
    const { id } = await keys.derive(key, reset.uid);
    let sealed;
    try {
      sealed = await api("/v1/recoveryKey/" + id, null, await resetAuthorization(), "GET");
    } catch (error) {
      if (error.errno === 158 || error.errno === 159) throw new Error("That is not the account recovery key of this account.");
      throw error;
    }
    reset.kB = await keys.open(key, reset.uid, sealed.recoveryData);
    reset.keyId = id;
    key.fill(0);
    $("recovery-key").value = "";
    showReset();
  });
  $("no-recovery-key").addEventListener("click", async () => {
    say("");
    if (!reset.twoStep) return showReset();
    if (!reset.token) return show("reset-totp-form");
    // The password-forgot token was spent trying a key: the app's code
    // needs a new one, so the flow starts again with a new emailed code.
    try {
      await startForgot();
      say("We emailed a new code. After it, enter the code from your authenticator app.");
    } catch (error) { say(fxa.humanMessage(error)); }
  });

  guard($("reset-totp-form"), async () => {
    const answer = await api("/v1/totp/verify", { code: $("reset-totp-code").value.trim() }, reset.forgot.token);
    $("reset-totp-code").value = "";
    if (!answer.success) throw new Error("That code did not work. Enter the code your app shows now.");
    showReset();
  });
  $("reset-use-backup-code").addEventListener("click", () => { say(""); show("reset-backup-code-form"); });
  guard($("reset-backup-code-form"), async () => {
    try {
      await api("/v1/totp/verify/recoveryCode", { code: $("reset-backup-code").value.trim() }, reset.forgot.token);
    } catch (error) {
      if (error.errno === 156 || error.errno === 107) throw new Error("That backup code did not work. Each code works once.");
      throw error;
    } finally {
      $("reset-backup-code").value = "";
    }
    showReset();
  });

  guard($("reset-form"), async () => {
    const password = $("reset-password").value;
    const lower = password.toLowerCase();
    if (password.length < 8) throw new Error("Use at least 8 characters.");
    if (lower === email.toLowerCase() || lower === reset.hashEmail.toLowerCase()) throw new Error("Your password cannot be your email address.");
    if (password !== $("reset-password-confirm").value) throw new Error("The passwords do not match.");
    const stretched = await fxa.stretch(reset.hashEmail, password, reset.kB !== null);
    const body = { authPW: stretched.authPW };
    if (reset.kB !== null) {
      // The same kB, wrapped under the new password: the keys are kept.
      body.wrapKb = fxa.hex(fxa.xor(fxa.unhex(reset.kB), stretched.unwrapBKey));
      body.recoveryKeyId = reset.keyId;
      stretched.unwrapBKey.fill(0);
    }
    await api("/v1/account/reset", body, await resetAuthorization());
    reset = null;
    $("reset-password").value = "";
    $("reset-password-confirm").value = "";
    askPassword(true);
    say("Your password is reset. Sign in with the new one.");
  });

  $("resend").addEventListener("click", async () => {
    try { await api("/v1/session/resend_code", {}, session.id); say("We sent a new code."); } catch (error) { say(fxa.humanMessage(error)); }
  });

  function consentOrFinish() {
    if (request.askConsent) {
      $("consent-email").textContent = continuing && request.signedInEmail ? request.signedInEmail : email;
      show("consent");
      return;
    }
    // A new account chooses what Firefox syncs, as on FxA's pages.
    if (firefox && signingUp && offeredEngines.length > 0) { showEngines(); return; }
    return finish();
  }

  const engineNames = {
    addons: "Add-ons", addresses: "Addresses", bookmarks: "Bookmarks", creditcards: "Payment methods",
    history: "History", passwords: "Passwords", prefs: "Settings", tabs: "Open tabs",
  };

  // The order FxA's page lists them in; engines it does not know come last.
  const engineOrder = ["bookmarks", "history", "tabs", "passwords", "addresses", "creditcards", "addons", "prefs"];
  function showEngines() {
    const box = $("sync-engines");
    box.querySelectorAll("label").forEach((label) => label.remove());
    const rank = (engine) => { const at = engineOrder.indexOf(engine); return at < 0 ? engineOrder.length : at; };
    for (const engine of [...offeredEngines].sort((a, b) => rank(a) - rank(b))) {
      const label = document.createElement("label");
      label.className = "check";
      const input = document.createElement("input");
      input.type = "checkbox";
      input.name = "engine";
      input.value = engine;
      input.checked = true;
      label.append(input, " ", engineNames[engine] || engine);
      box.append(label);
    }
    show("sync-engines-form");
  }

  if ($("sync-engines-form")) {
    guard($("sync-engines-form"), () => {
      const boxes = Array.from($("sync-engines").querySelectorAll("input[name=engine]"));
      declinedEngines = boxes.filter((box) => !box.checked).map((box) => box.value);
      return finish();
    });
  }

  if ($("consent")) guard($("consent"), () => finish());
  if ($("signed-in-form")) {
    guard($("signed-in-form"), () => { continuing = true; return consentOrFinish(); });
    $("switch-account").addEventListener("click", () => { continuing = false; say(""); show("email-form"); });
  }

  // A session the page made but that no web session stands on (a failed
  // or abandoned sign-in) is destroyed, so it cannot outlive the page.
  async function forgetSession() {
    sessionToken = null;
    if (!session) return;
    try { await api("/v1/session/destroy", {}, session.id); } catch (error) { /* already gone */ }
    session = null;
  }

  // The browser stays signed in (a web session on this session), as with
  // FxA: the next app offers to continue without the password.
  async function keepSignedIn() {
    try {
      await api("/v1/web/session", {}, session.id, "POST", "same-origin");
      session = null;
    } catch (error) {
      await forgetSession();
    }
  }

  if ($("two-step-back")) {
    $("two-step-back").addEventListener("click", () => window.location.assign(request.unmetRedirect));
  }

  if ($("deny")) {
    $("deny").addEventListener("click", async () => {
      await forgetSession();
      window.location.assign(request.denyRedirect);
    });
  }

  async function fetchKB() {
    const { token, unwrapBKey } = keyFetch;
    keyFetch = null;  // single-use, whatever happens below
    return fxa.fetchKB(token, unwrapBKey);
  }

  // fxa-crypto-relier's derivation. Sync keeps its older key (kSync, 64
  // bytes) with a millisecond kid over SHA-256(kB); every other scope is
  // HKDF(kB || rotation secret, salt uid) with a kid in seconds.
  async function deriveScopedKey(kB, uid, data) {
    const scope = data.identifier;
    if (scope === "https://identity.mozilla.com/apps/oldsync" || scope === "https://identity.thunderbird.net/apps/sync") {
      const k = await hkdf(kB, onepw("oldsync"), 64);
      const fingerprint = (await sha256(kB)).slice(0, 16);
      return { kty: "oct", scope, k: b64url(k), kid: data.keyRotationTimestamp + "-" + b64url(fingerprint) };
    }
    const okm = await hkdf(concat(kB, unhex(data.keyRotationSecret)), onepw("scoped_key\n") + scope, 48, unhex(uid));
    const seconds = Math.round(data.keyRotationTimestamp / 1000);
    return { kty: "oct", scope, k: b64url(okm.slice(16, 48)), kid: seconds + "-" + b64url(okm.slice(0, 16)) };
  }

  // Compact JWE to the RP's keys_jwk: ECDH-ES (direct) with a fresh P-256
  // key, Concat KDF (RFC 7518 §4.6) with empty apu/apv, A256GCM with the
  // protected header as additional data.
  async function encryptToRP(plaintext) {
    const jwk = JSON.parse(atob(request.keysJwk.replace(/-/g, "+").replace(/_/g, "/")));
    const recipient = await crypto.subtle.importKey(
      "jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, ext: true }, { name: "ECDH", namedCurve: "P-256" }, false, []);
    const ephemeral = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: "ECDH", public: recipient }, ephemeral.privateKey, 256));
    const epk = await crypto.subtle.exportKey("jwk", ephemeral.publicKey);
    const header = { alg: "ECDH-ES", enc: "A256GCM", epk: { kty: "EC", crv: "P-256", x: epk.x, y: epk.y } };
    if (typeof jwk.kid === "string") header.kid = jwk.kid;
    const protectedHeader = b64url(encoder.encode(JSON.stringify(header)));
    const be32 = (n) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
    const algorithm = encoder.encode("A256GCM");
    const cek = await sha256(concat(be32(1), shared, be32(algorithm.length), algorithm, be32(0), be32(0), be32(256)));
    const key = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(protectedHeader), tagLength: 128 }, key, plaintext));
    return [protectedHeader, "", b64url(iv), b64url(sealed.slice(0, -16)), b64url(sealed.slice(-16))].join(".");
  }

  // The scoped keys this RP may have, as keys_jwe (only asked for when the
  // server said the RP may have some). Never silently none: without the
  // key-fetch token (a failed attempt spent it) the user unlocks kB again.
  async function keysJWE() {
    if (preparedJWE) return preparedJWE;
    if (!keyFetch) {
      await forgetSession();
      show("password-form");
      throw new Error("Enter your password again to unlock your encryption keys for " + request.clientName + ".");
    }
    const kB = await fetchKB();
    try {
      const data = await api("/v1/account/scoped-key-data", { client_id: request.clientId, scope: request.scope }, session.id);
      const keys = {};
      for (const [scope, entry] of Object.entries(data)) keys[scope] = await deriveScopedKey(kB, session.uid, entry);
      if (Object.keys(keys).length === 0) throw new Error("The server has no encryption key for this sign-in.");
      preparedJWE = await encryptToRP(encoder.encode(JSON.stringify(keys)));
      return preparedJWE;
    } finally {
      kB.fill(0);
    }
  }

  // Firefox's end of the sign-in (FxA's finishOAuthFlowHandler, then
  // handleNavigation): a code with the Sync key encrypted to Firefox's
  // keys_jwk, then fxaccounts:login and fxaccounts:oauth_login, in that
  // order. Firefox trades the code itself and keeps the session.
  async function finishInFirefox() {
    // Firefox holds the PKCE verifier and its key in memory: after a
    // restart it has none, and a new flow is begun for this sign-in.
    const active = await firefox.request("fxaccounts:oauth_flow_is_active", {}, 2000);
    if (active && active.isActive === false) {
      const begun = await firefox.request("fxaccounts:oauth_flow_begin", { scopes: request.scope.split(" ") }, 5000);
      if (!begun || begun.error || !begun.state || !begun.code_challenge) {
        throw new Error("Firefox could not start signing in. Close this tab and choose Sign in in Firefox's menu.");
      }
      request.state = begun.state;
      request.codeChallenge = begun.code_challenge;
      if (begun.keys_jwk && begun.keys_jwk !== request.keysJwk) { request.keysJwk = begun.keys_jwk; preparedJWE = null; }
    }
    const body = {
      client_id: request.clientId, scope: request.scope, state: request.state, access_type: "offline",
      response_type: "code", code_challenge: request.codeChallenge, code_challenge_method: "S256",
    };
    if (wantsKeys) body.keys_jwe = await keysJWE();
    const answer = await api("/v1/oauth/authorization", body, session.id);
    const sync = { offeredEngines, declinedEngines };
    const login = await firefox.request("fxaccounts:login",
      { email, uid: session.uid, sessionToken, verified: true, services: { sync } }, 0);
    if (!login || login.error) throw new Error("Firefox could not sign in: " + describe(login && login.error));
    const done = await firefox.request("fxaccounts:oauth_login", {
      action: signingUp ? "signup" : "signin", code: answer.code, state: answer.state, redirect: webChannel.redirect,
      scope: request.scope, offeredSyncEngines: offeredEngines, declinedSyncEngines: declinedEngines,
    }, 0);
    // Firefox owns the session now (it signs it out itself).
    session = null;
    sessionToken = null;
    if (!done || done.error) {
      // Firefox holds the account but not Sync; this page cannot retry
      // (its session and code are Firefox's now): a fresh sign-in can.
      for (const id of steps) $(id).hidden = true;
      throw new Error("Firefox could not turn on Sync (" + describe(done && done.error) + "). Close this tab and choose Sign in from Firefox's menu again.");
    }
    say("");
    show("firefox-done");
  }

  function describe(error) {
    if (!error) return "no answer";
    return typeof error === "string" ? error : (error.message || "unknown error");
  }

  async function finish() {
    if (firefox) return finishInFirefox();
    if (webSignin) {
      // The session now backs the settings pages: kept, behind an HttpOnly
      // cookie that the server sets (this script never sees it).
      try {
        await api("/v1/web/session", {}, session.id, "POST", "same-origin");
      } catch (error) {
        await forgetSession();  // no cookie stands on it: it must not outlive the page
        show("email-form");
        throw error;
      }
      say("Signed in.");
      window.location.assign(request.next);
      return;
    }
    const body = {
      client_id: request.clientId, scope: request.scope, state: request.state, access_type: request.accessType,
    };
    if (request.redirectUri) body.redirect_uri = request.redirectUri;
    if (request.codeChallenge) { body.code_challenge = request.codeChallenge; body.code_challenge_method = "S256"; }
    if (request.nonce) body.nonce = request.nonce;
    if (request.acrValues) body.acr_values = request.acrValues;
    let answer;
    try {
      if (continuing) {
        answer = await api("/v1/web/authorization", body, null, "POST", "same-origin", { "X-CSRF-Token": request.csrfToken });
      } else {
        if (wantsKeys) body.keys_jwe = await keysJWE();
        answer = await api("/v1/oauth/authorization", body, session.id);
      }
    } catch (error) {
      // The RP asked for two-step authentication (acr_values=AAL2) and the
      // account has none: say so, and offer the way to settings or back.
      if (error.errno !== 120) throw error;
      if (!continuing) await keepSignedIn();
      return show("two-step-required");
    }
    if (!continuing) await keepSignedIn();
    say("Signed in. Returning to " + request.clientName + "…");
    window.location.assign(answer.redirect);
  }

  $("email").value = email;
  if (request.action === "force_auth") $("email").readOnly = true;
  if (firefox) {
    // FxA's pages ask first; the engines are offered later, and the
    // address Firefox knows fills in the email step.
    firefoxStatus = firefox.request("fxaccounts:fxa_status",
      { service: webChannel.service || "sync", isPairing: false, context: webChannel.context }, 5000)
      .then((status) => (status && !status.error ? status : null));
    firefoxStatus.then((status) => {
      if (!status) { $("firefox-only").hidden = false; return; }
      const engines = status.capabilities && status.capabilities.engines;
      if (Array.isArray(engines)) offeredEngines = engines.filter((engine) => typeof engine === "string");
      const known = status.signedInUser && status.signedInUser.email;
      if (!$("email").value && typeof known === "string") { email = known; $("email").value = known; }
    });
  }
  if (request.signedInEmail) {
    $("signed-in-email").textContent = request.signedInEmail;
    show("signed-in-form");
  } else {
    show("email-form");
  }
})();
