import FxACore
import Foundation

/// The parameters of an OAuth request sent form-encoded: the query of a
/// `GET /authorization`, the form body of a `POST /authorization` (OpenID
/// Connect Core §3.1.2.1 requires both) or of a token, revocation or
/// introspection request. Read without a framework decoder, because the
/// rules that matter here are ones a decoder hides:
///
/// - A parameter sent more than once is not a value at all (RFC 6749
///   §3.1 and §3.2: "Request and response parameters MUST NOT be included
///   more than once"). A decoder keeps the first or the last; this keeps
///   neither and records the name, so the caller refuses the request (and
///   `/authorization` never redirects when the doubtful one is `client_id`
///   or `redirect_uri`).
/// - A parameter sent without a value counts as omitted (RFC 6749 §3.1,
///   §3.2): `client_secret=` from a public client is no secret at all.
struct FormParameters: Sendable, Equatable {
    /// Each parameter sent exactly once with a value.
    let values: [String: String]
    /// The names sent more than once with a value.
    let duplicated: Set<String>

    /// The values again as a form body (every byte outside letters and
    /// digits escaped), for a framework decoder that should see exactly
    /// these and nothing else.
    var encoded: String {
        values.sorted { $0.key < $1.key }.map { name, value in
            Self.escaped(name) + "=" + Self.escaped(value)
        }.joined(separator: "&")
    }

    /// Parses `a=1&b=2` (`+` is a space, `%XX` a byte of UTF-8).
    ///
    /// - Throws: errno 109 naming `parameters` when a name or value is not
    ///   percent-encoded UTF-8.
    init(encoded: String) throws(FxAError) {
        var values: [String: String] = [:]
        var duplicated: Set<String> = []
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { throw FxAError.invalidOAuthParameter(["parameters"]) }
            guard let value = parts.count == 2 ? Self.decode(parts[1]) : "" else { throw FxAError.invalidOAuthParameter(["parameters"]) }
            guard !name.isEmpty, !value.isEmpty else { continue }
            if duplicated.contains(name) { continue }
            if values.removeValue(forKey: name) != nil {
                duplicated.insert(name)
            } else {
                values[name] = value
            }
        }
        self.values = values
        self.duplicated = duplicated
    }

    /// The value of `name`, if it was sent once with a value.
    subscript(name: String) -> String? { values[name] }

    private static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
