import Foundation

/// The avatar of everyone who has not uploaded one, drawn here so nothing is
/// fetched from elsewhere and no image of Mozilla's is shipped. SVG, so it
/// is sharp at every size an RP shows it.
///
/// As FxA's profile server does, the default is a monogram: the first
/// letter or digit of the display name, else of the email, on a grey disc
/// (`/v1/avatar/<character>`); anything else shows `?`.
enum DefaultAvatar {
    static let mimeType = "image/svg+xml"
    /// The id FxA reports for the default avatar (and serves at `/a/<id>`).
    static let id = String(repeating: "0", count: 32)

    /// The monogram character for a profile: uppercased, ASCII letters and
    /// digits only, so it is safe anywhere in a URL or in SVG text.
    static func character(displayName: String?, email: String) -> Character {
        for text in [displayName ?? "", email] {
            if let first = text.first, first.isASCII, first.isLetter || first.isNumber {
                return Character(first.uppercased())
            }
        }
        return "?"
    }

    /// What a monogram URL's path segment draws: one ASCII letter or digit,
    /// uppercased; `?` for anything else.
    static func drawnCharacter(_ text: String) -> String {
        text.count == 1 && text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) ? text.uppercased() : "?"
    }

    /// The monogram for a character from ``drawnCharacter(_:)``.
    static func monogram(_ character: String) -> Data {
        Data("""
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">\
            <circle cx="100" cy="100" r="100" fill="#8a94a6"/>\
            <text x="100" y="100" dy="0.35em" text-anchor="middle" font-family="system-ui, sans-serif" \
            font-size="100" font-weight="600" fill="#ffffff">\(character)</text>\
            </svg>
            """.utf8)
    }

    /// The picture behind FxA's default id: a neutral silhouette.
    static let silhouette = Data("""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">\
        <rect width="200" height="200" fill="#d7dce3"/>\
        <circle cx="100" cy="78" r="38" fill="#8a94a6"/>\
        <path d="M30 200c0-42 31-70 70-70s70 28 70 70z" fill="#8a94a6"/>\
        </svg>
        """.utf8)
}
