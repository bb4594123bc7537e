// The settings page's script, served at `/assets/settings.js` after
// `/assets/onepw.js` (onepw.js): changing the password and deleting
// the account, the two settings that need the password, which is
// stretched here and never sent; and drawing two-step authentication's
// setup QR code.
//
// A password change is onepw's: the current password's authPW starts it
// (on the web session, `/v1/web/password/change/start`), its unwrapBKey
// opens kB from `/account/keys`, kB is rewrapped under the new password's
// unwrapBKey, and `/v1/password/change/finish` stores the new credentials,
// so the account keeps its keys. The change ends every session, this
// page's too, so its new session becomes the web session. Without
// JavaScript these two forms stay hidden and the page says why.
//
// In a Firefox signed in to the same account (asked with
// `fxaccounts:fxa_status` over webchannel.js), the page keeps
// Firefox in step as FxA's settings do: `fxaccounts:change_password` with
// the new session after a password change (Firefox stays signed in),
// `fxaccounts:logout` before signing out when the pages stand on Firefox's
// own session (signing out ends it), `fxaccounts:delete` after the
// account is deleted, and `profile:change` after the name, picture or
// primary address changed.
"use strict";
(function () {
  const fxa = window.fxaOnepw;
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("settings-data").textContent);
  // Calls that act on the web session: its cookie, and its CSRF token.
  const web = (path, body) => fxa.api(path, body, null, "POST", "same-origin", { "X-CSRF-Token": data.csrfToken });

  // Firefox, when it is signed in to this account; otherwise nobody to tell.
  const firefox = window.fxaWebChannel.request("fxaccounts:fxa_status",
    { service: "sync", isPairing: false, context: "oauth_webchannel_v1" }, 1500).then((status) => {
    const user = status && status.signedInUser;
    return user && user.uid === data.uid ? window.fxaWebChannel : null;
  });
  async function tellFirefox(command, message) {
    const channel = await firefox;
    if (channel) await channel.request(command, message, 5000);
  }
  const done = new URLSearchParams(window.location.search).get("done");
  if (["display_name", "avatar", "avatar_removed", "email_primary"].includes(done)) {
    firefox.then((channel) => { if (channel) channel.send("profile:change", { uid: data.uid }); });
  }
  // Two-step authentication's setup: the otpauth:// URI drawn as a QR code
  // (qrcode.js, loaded only on this step); the key is also shown as text.
  const qrBox = $("two-step-qr");
  if (qrBox && window.qrcode) {
    const qr = window.qrcode(0, "M");
    qr.addData(qrBox.dataset.uri);
    qr.make();
    qrBox.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true, alt: "QR code for your authenticator app" });
  }
  // New backup codes are far down the page: bring them into view.
  if ($("backup-codes")) $("backup-codes").scrollIntoView();
  const signout = $("signout");
  let signingOut = false;
  signout.addEventListener("submit", async (event) => {
    // Only a session shared with Firefox ends Firefox's sign-in here.
    if (signingOut || !data.sharesSessionWithFirefox) return;
    event.preventDefault();
    signingOut = true;
    try { await tellFirefox("fxaccounts:logout", { uid: data.uid }); } finally { signout.submit(); }
  });

  function guard(form, message, action) {
    form.hidden = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const buttons = form.querySelectorAll("button");
      buttons.forEach((b) => { b.disabled = true; });
      message.textContent = "";
      try {
        await action();
      } catch (error) {
        message.textContent = error.errno === 103 ? "That is not your current password." : fxa.humanMessage(error);
      } finally {
        buttons.forEach((b) => { b.disabled = false; });
      }
    });
  }

  function checkNewPassword(password, repeated, old) {
    const lower = password.toLowerCase();
    if (password.length < 8) throw new Error("Use at least 8 characters.");
    if (lower === data.hashEmail.toLowerCase() || lower === data.primaryEmail.toLowerCase()) {
      throw new Error("Your password cannot be your email address.");
    }
    if (password === old) throw new Error("Your new password must be different from the current one.");
    if (password !== repeated) throw new Error("The new passwords do not match.");
  }

  guard($("password-change"), $("password-message"), async () => {
    const oldPassword = $("old-password").value;
    const newPassword = $("new-password").value;
    checkNewPassword(newPassword, $("new-password-confirm").value, oldPassword);
    const old = await fxa.stretch(data.hashEmail, oldPassword, true);
    let started;
    try {
      started = await web("/v1/web/password/change/start", { authPW: old.authPW });
    } catch (error) {
      old.unwrapBKey.fill(0);
      throw error;
    }
    const kB = await fxa.fetchKB(fxa.unhex(started.keyFetchToken), old.unwrapBKey);
    let next = null, finished;
    try {
      next = await fxa.stretch(data.hashEmail, newPassword, true);
      const wrapKb = fxa.xor(kB, next.unwrapBKey);
      const changeID = await fxa.tokenID("passwordChangeToken", started.passwordChangeToken);
      try {
        finished = await fxa.api("/v1/password/change/finish", { authPW: next.authPW, wrapKb: fxa.hex(wrapKb) }, "fxpc_" + changeID);
      } finally {
        wrapKb.fill(0);
      }
    } finally {
      kB.fill(0);
      if (next) next.unwrapBKey.fill(0);
    }
    for (const id of ["old-password", "new-password", "new-password-confirm"]) $(id).value = "";
    const sessionID = await fxa.tokenID("sessionToken", finished.sessionToken);
    // Firefox on this account keeps the new session (the change ended
    // its old one), shared with these pages; told first, so that it does
    // not find its old session gone and ask to sign in again.
    const channel = await firefox;
    let handed = false;
    if (channel) {
      const reply = await channel.request("fxaccounts:change_password",
        { email: data.primaryEmail, uid: data.uid, sessionToken: finished.sessionToken, verified: true }, 10000);
      handed = Boolean(reply && reply.ok === true);
    }
    try {
      await fxa.api("/v1/web/session", { sharesToken: handed }, sessionID, "POST", "same-origin");
    } catch (error) {
      // No cookie stands on the new session: it must not outlive the page
      // (unless Firefox now holds it).
      if (!handed) {
        try { await fxa.api("/v1/session/destroy", {}, sessionID); } catch (ignored) { /* already gone */ }
      }
      window.location.assign("/signin?done=password");
      return;
    }
    window.location.assign("/settings?done=password");
  });

  // An account recovery key (recoverykey.js): the password opens kB here,
  // the page seals it under a new random key, and only the sealed form and
  // the key's fingerprint go to the server. The key is shown once.
  guard($("recovery-key-create"), $("recovery-key-message"), async () => {
    const keys = window.fxaRecoveryKey;
    const proof = await fxa.stretch(data.hashEmail, $("recovery-key-password").value, true);
    let started;
    try {
      started = await web("/v1/web/account/keys", { authPW: proof.authPW });
    } catch (error) {
      proof.unwrapBKey.fill(0);
      throw error;
    }
    const kB = await fxa.fetchKB(fxa.unhex(started.keyFetchToken), proof.unwrapBKey);
    const key = keys.generate();
    try {
      const sealed = await keys.seal(key, data.uid, fxa.hex(kB));
      await web("/v1/web/recovery-key", { ...sealed, hint: $("recovery-key-hint").value });
      $("recovery-key-value").textContent = keys.format(key);
    } finally {
      kB.fill(0);
      key.fill(0);
    }
    $("recovery-key-password").value = "";
    $("recovery-key-create").hidden = true;
    $("recovery-key-shown").hidden = false;
    $("recovery-key-shown").scrollIntoView();
  });

  guard($("delete-account"), $("delete-message"), async () => {
    if (!$("delete-confirm").checked) throw new Error("Tick the box to confirm that you want to delete your account.");
    const proof = await fxa.stretch(data.hashEmail, $("delete-password").value, false);
    await web("/v1/web/account/destroy", { authPW: proof.authPW });
    await tellFirefox("fxaccounts:delete", { uid: data.uid });
    window.location.assign("/signin?done=deleted");
  });
})();
