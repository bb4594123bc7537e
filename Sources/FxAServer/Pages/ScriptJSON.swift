import Foundation

/// JSON safe to place inside `<script type="application/json">`: the
/// characters that could close the element or open a comment are written
/// as JSON `\u` escapes, which only occur inside strings. The one value a
/// template prints unescaped (`#unsafeHTML(scriptData)`) is made here.
enum ScriptJSON {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        return json.replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }
}
