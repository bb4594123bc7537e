import Foundation

extension String {
    /// The string escaped for HTML text and double- or single-quoted
    /// attribute values (`& < > " '`). Shared by the server's pages and the
    /// example relying party, which render values they did not write.
    public var htmlEscaped: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
