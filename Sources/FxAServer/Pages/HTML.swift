import FxACore
import Foundation

/// Escaping for the server-rendered pages. Every value that did not come
/// from our own source code goes through one of these before it reaches
/// HTML: client names and URIs are chosen by RP developers, and the query
/// parameters by whoever wrote the link.
enum HTML {
    /// Text and attribute-value escaping (`& < > " '`).
    static func escape(_ text: String) -> String { text.htmlEscaped }

    /// JSON safe to place inside `<script type="application/json">`: the
    /// characters that could close the element or open a comment are
    /// written as JSON `\u` escapes, which only occur inside strings.
    static func scriptJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        return json.replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }

    /// A whole page: the shared head (viewport, our stylesheet) around
    /// `body`, which the caller has already escaped.
    static func document(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <link rel="stylesheet" href="/assets/fxa.css">
        </head>
        <body>
        <main>
        <p class="brand">swift-fxa accounts</p>
        \(body)
        </main>
        </body>
        </html>
        """
    }
}
