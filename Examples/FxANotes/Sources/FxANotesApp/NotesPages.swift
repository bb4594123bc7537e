import Foundation
import FxAVapor

/// The app's two pages as HTML. Every value the app did not write itself
/// (profile fields, notes, the uid) goes through `escaped`; there is no
/// script, and the stylesheet is `/style.css` (the CSP allows nothing else).
enum NotesPages {
    /// Signed out: what the app is, the button, and what the example shows.
    static func welcome() -> String {
        document(title: "Notes", header: "", body: """
        <section class="hero">
        <h1>Notes only you can read</h1>
        <p>Keep short notes, tied to your account rather than to this browser. Sign in with your Firefox account; this site never sees your password.</p>
        <p><a class="button" href="/auth/login">Sign in with your account</a></p>
        </section>
        <section class="card">
        <h2>What this example shows</h2>
        <ol class="guide">
        <li><strong>Sign in.</strong> The authorization code flow with PKCE and <code>state</code>; the ID token's signature, issuer, audience and nonce are checked before anyone is signed in.</li>
        <li><strong>The profile.</strong> Your email, name and picture come from the provider's profile API; the tokens stay in this site's server-side session, never in the browser.</li>
        <li><strong>Data kept by <code>uid</code>.</strong> Users and notes are stored under the account's uid, never its email, which can change.</li>
        <li><strong>Events.</strong> The provider posts a signed Security Event Token when something changes: a profile change makes the app fetch the profile again, a password change signs out older sessions, a deleted account erases the user and their notes.</li>
        <li><strong>Sign out.</strong> The tokens are destroyed at the provider, not only forgotten here.</li>
        </ol>
        </section>
        """)
    }

    /// Signed in: the notes, and what the app keeps and has heard.
    static func home(
        user: FxAUser, notes: [NoteRecord], events: [EventRecord], csrfToken: String, accountSettings: URL
    ) -> String {
        let name = user.displayName ?? user.email ?? "your account"
        let avatar = user.avatar.map { #"<img class="avatar" src="\#(escaped($0.absoluteString))" alt="" width="40" height="40">"# }
            ?? #"<span class="avatar initial" aria-hidden="true">\#(escaped(String(name.prefix(1)).uppercased()))</span>"#
        let header = """
        <div class="who">\(avatar)<div><strong>\(escaped(name))</strong><small>\(escaped(user.email ?? "no email"))</small></div>
        <form id="logout" method="post" action="/auth/logout"><input type="hidden" name="csrf_token" value="\(escaped(csrfToken))"><button type="submit" class="secondary">Sign out</button></form></div>
        """
        let noteItems = notes.isEmpty
            ? #"<p class="muted" id="no-notes">No notes yet. Write the first one above.</p>"#
            : "<ul class=\"notes\" id=\"notes\">" + notes.reversed().map { note in
                "<li><p>\(escaped(note.text))</p><time datetime=\"\(iso(note.createdAt))\">\(shortDate(note.createdAt))</time></li>"
            }.joined() + "</ul>"
        let eventItems = events.isEmpty
            ? """
              <p class="muted" id="no-events">None yet. Change your name or password in your <a href="\(escaped(accountSettings.absoluteString))">account settings</a>, then reload this page.</p>
              """
            : "<ol class=\"events\" id=\"events\">" + events.map { event in
                "<li><strong>\(escaped(event.title))</strong> <time datetime=\"\(iso(event.receivedAt))\">\(shortDate(event.receivedAt))</time><br>\(escaped(event.outcome))</li>"
            }.joined() + "</ol>"
        return document(title: "Your notes", header: header, body: """
        <div class="columns">
        <section class="card">
        <h1>Your notes</h1>
        <form id="new-note" method="post" action="/notes"><input type="hidden" name="csrf_token" value="\(escaped(csrfToken))">
        <label for="text">New note</label>
        <div class="row"><input id="text" name="text" required maxlength="2000" autocomplete="off"><button type="submit">Add</button></div></form>
        \(noteItems)
        </section>
        <aside>
        <section class="card">
        <h2>What this site keeps about you</h2>
        <dl>
        <dt>Account id (uid)</dt><dd><code id="uid">\(escaped(user.uid))</code></dd>
        <dt>Email</dt><dd>\(escaped(user.email ?? "none"))</dd>
        <dt>Name</dt><dd>\(escaped(user.displayName ?? "none"))</dd>
        </dl>
        <p class="muted">Your notes are stored under the uid. Deleting your account at the provider erases all of it here.</p>
        </section>
        <section class="card">
        <h2>Events from your account</h2>
        \(eventItems)
        </section>
        </aside>
        </div>
        """)
    }

    private static func document(title: String, header: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escaped(title)) · FxA Notes</title><link rel="stylesheet" href="/style.css"></head>
        <body><header class="bar"><a class="logo" href="/">FxA Notes</a>\(header)</header>
        <main>\(body)</main>
        <footer>An example relying party for swift-fxa, built on FxAVapor.</footer>
        </body></html>
        """
    }

    private static func escaped(_ text: String) -> String { text.htmlEscaped }

    private static func iso(_ date: Date) -> String { date.ISO8601Format() }

    /// The date in UTC, to the minute: the server does not know the reader's
    /// time zone, and the page has no script to find it.
    private static func shortDate(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().dateSeparator(.dash)
            .time(includingFractionalSeconds: false).timeSeparator(.colon))
            .replacingOccurrences(of: "T", with: " ").dropLast(3) + " UTC"
    }
}
