import Vapor

/// The `Accept-Language` a browser sends at sign-up, kept as the account's
/// locale as FxA keeps it (RPs read it with `profile:locale`).
enum AcceptLanguage {
    /// FxA's limit on a stored locale.
    static let maxLength = 255

    /// The header if it has the shape of a language list (letters, digits,
    /// `-`, `_`, `,`, `;`, `=`, `.`, `*` and spaces; at most 255
    /// characters); `nil` otherwise, so nothing odd reaches RPs.
    static func locale(in headers: HTTPHeaders) -> String? {
        guard let value = headers.first(name: .acceptLanguage)?.trimmingCharacters(in: .whitespaces),
              !value.isEmpty, value.count <= maxLength,
              value.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_,;=.* ".unicodeScalars.contains($0)) })
        else { return nil }
        return value
    }
}
