import Foundation

/// What a page Firefox opens from its menus (`settings`,
/// `settings/clients`, …, with `context=oauth_webchannel_v1`) shows when
/// the browser has no web session yet: a moment's "Connecting…" while its
/// script asks Firefox for the signed-in account (`fxaccounts:fxa_status`)
/// and turns Firefox's session into a web session shared with it
/// (``WebSession/sharesToken``), then opens `next`. When Firefox has no
/// signed-in, confirmed account, the script goes to `/signin` instead.
///
/// As on FxA's own pages: the session token comes only from Firefox over
/// the WebChannel, which Firefox opens to this origin alone.
struct FirefoxSessionPage: RenderedPage {
    static let template = PageTemplate.firefoxSession
    /// One of ``WebPagePaths/signedIn``.
    let next: String

    var contentSecurityPolicy: ContentSecurityPolicy { .scriptedPage }

    struct ScriptData: Encodable {
        var next: String
        var signin: String
    }

    struct Context: Encodable, Sendable {
        let title = "Connecting to Firefox"
        let scriptData: String
    }

    func context() throws -> Context {
        let signin = WebPagePaths.signin + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        return Context(scriptData: try ScriptJSON.encode(ScriptData(next: next, signin: signin)))
    }
}

/// The script of ``FirefoxSessionPage``, at `/assets/firefox-session.js`.
enum FirefoxSessionScript {
    static let source = #"""
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
"""#
}
