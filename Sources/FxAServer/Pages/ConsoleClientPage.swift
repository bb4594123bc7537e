import FxACore
import FxAStore
import Foundation

/// `/console/clients/<id>`: one of the user's clients. Its id and type,
/// the form to edit it, its secret's rotation, the recent webhook
/// deliveries (what the RP's endpoint answered, so its developer can debug
/// it), and deleting it.
struct ConsoleClientPage {
    let client: OAuthClientRecord
    /// The form to show: the stored client, or a refused edit to correct.
    let form: ConsoleClientForm
    let deliveries: [EventDelivery]
    let csrfToken: String
    /// A confirmation, or why an edit was refused.
    let notice: String?
    let noticeIsError: Bool

    /// Our style, our forms, and the client's icon from its https origin.
    var contentSecurityPolicy: String {
        let images = (["'self'"] + [SigninPage.imageOrigin(client.imageURI)].compactMap { $0 }).joined(separator: " ")
        return "default-src 'none'; style-src 'self'; img-src \(images); form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    }

    func render() -> String {
        let base = "\(WebPagePaths.console)/clients/\(client.id.hex)"
        let csrf = #"<input type="hidden" name="csrf_token" value="\#(HTML.escape(csrfToken))">"#
        let icon = SigninPage.imageOrigin(client.imageURI) != nil
            ? #"<img src="\#(HTML.escape(client.imageURI ?? ""))" alt="" width="48" height="48">"# : ""
        let notice = notice.map {
            noticeIsError ? #"<p class="error" role="alert">\#(HTML.escape($0))</p>"# : #"<p class="notice" role="status">\#(HTML.escape($0))</p>"#
        } ?? ""
        let secretForms = client.publicClient ? "" : """
            <h2>Client secret</h2>
            <p class="muted">Stored only as a hash: a new one is shown once. The previous secret keeps working until you forget it.</p>
            <form method="post" action="\(base)/rotate">\(csrf)<button type="submit" class="secondary">Make a new secret</button></form>
            \(client.previousSecretHash == nil ? "" : """
            <form method="post" action="\(base)/forget-previous">\(csrf)<button type="submit" class="secondary">Forget the previous secret</button></form>
            """)
            """
        return HTML.document(title: client.name, body: """
            <div class="card wide">
            <header>\(icon)<h1>\(HTML.escape(client.name))</h1></header>
            \(notice)
            <dl>
            <dt>Client ID</dt><dd><code>\(client.id.hex)</code></dd>
            <dt>Type</dt><dd>\(client.publicClient ? "Public (PKCE, no secret)" : "Confidential")</dd>
            <dt>Trusted</dt><dd>\(client.trusted ? "Yes: set by the operator" : "No: users are asked to allow its scopes")</dd>
            </dl>
            <h2>Settings</h2>
            <form method="post" action="\(base)">
            \(csrf)
            \(ConsoleFormFields.markup(form, creating: false))
            <button type="submit">Save changes</button>
            </form>
            \(secretForms)
            <h2>Recent webhook deliveries</h2>
            \(deliveryTable())
            <h2>Delete this app</h2>
            <form method="post" action="\(base)/delete">
            \(csrf)
            <p>Its users are signed out of it and every token it holds stops working.</p>
            <label class="check"><input type="checkbox" name="confirm" value="yes" required> I understand that this cannot be undone</label>
            <button type="submit" class="danger">Delete app</button>
            </form>
            <p><a href="\(WebPagePaths.console)">Back to your apps</a></p>
            </div>
            """)
    }

    private func deliveryTable() -> String {
        guard client.webhookURL != nil || !deliveries.isEmpty else {
            return #"<p class="muted">No webhook URL is set, so no events are sent.</p>"#
        }
        guard !deliveries.isEmpty else { return #"<p class="muted">No events have been sent yet.</p>"# }
        let formatter = ISO8601DateFormatter()
        let rows = deliveries.map { delivery -> String in
            // The status only, or that nothing answered: the error's own text
            // (addresses, resolver messages) would tell a console user about
            // the server's network.
            let answer = delivery.lastStatus.map { "HTTP \($0)" }
                ?? (delivery.lastError == nil ? "" : "no answer (connection, TLS or timeout)")
            return """
                <tr><td>\(formatter.string(from: delivery.createdAt))</td><td>\(HTML.escape(delivery.kind.rawValue))</td>\
                <td>\(delivery.status.rawValue)</td><td>\(delivery.attempts)</td>\
                <td>\(HTML.escape(answer))</td></tr>
                """
        }.joined()
        return """
            <div class="table"><table>
            <thead><tr><th scope="col">Created</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table></div>
            """
    }
}
