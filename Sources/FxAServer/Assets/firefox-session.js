// The script of the "Connecting to Firefox" page (FirefoxSessionPage), at `/assets/firefox-session.js`.
"use strict";
(async function () {
  const fxa = window.fxaOnepw;
  const data = JSON.parse(document.getElementById("session-data").textContent);
  const status = await window.fxaWebChannel.request("fxaccounts:fxa_status",
    { service: "sync", isPairing: false, context: "oauth_webchannel_v1" }, 3000);
  const user = status && status.signedInUser;
  if (!user || typeof user.sessionToken !== "string" || !user.verified) {
    window.location.replace(data.signin);
    return;
  }
  try {
    const id = await fxa.tokenID("sessionToken", user.sessionToken);
    await fxa.api("/v1/web/session", { sharesToken: true }, id, "POST", "same-origin");
    window.location.replace(data.next);
  } catch (error) {
    window.location.replace(data.signin);
  }
})();
