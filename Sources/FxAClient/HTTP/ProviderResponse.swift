import Foundation

/// Reading the provider's answers: a 2xx body as the expected type, or the
/// error shape FxA uses (`code`, `errno`, `error`, `message`) or the OAuth
/// one (`error`, `error_description`) as ``FxAClientError/providerError``.
extension FxAHTTPResponse {
    private struct ErrorBody: Decodable {
        var errno: Int?
        var error: String?
        var message: String?
        var errorDescription: String?

        enum CodingKeys: String, CodingKey {
            case errno, error, message
            case errorDescription = "error_description"
        }
    }

    /// Throws ``FxAClientError/providerError`` unless the status is 2xx.
    func requireSuccess() throws {
        guard (200..<300).contains(status) else {
            let body = try? JSONDecoder().decode(ErrorBody.self, from: body)
            throw FxAClientError.providerError(
                status: status, errno: body?.errno, error: body?.error, message: body?.message ?? body?.errorDescription)
        }
    }

    func decode<Value: Decodable>(_ type: Value.Type, what: String) throws -> Value {
        try requireSuccess()
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw FxAClientError.malformedResponse("\(what): \(error)")
        }
    }
}

extension FxAHTTPRequest {
    /// A POST with an `application/x-www-form-urlencoded` body, the encoding
    /// RFC 6749 mandates for the token and revocation endpoints.
    static func form(_ url: URL, _ fields: [(String, String)]) -> FxAHTTPRequest {
        let body = fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        return FxAHTTPRequest(
            method: .post, url: url, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(body.utf8))
    }

    /// A POST with a JSON body, as FxA's own endpoints take.
    static func json(_ url: URL, _ fields: [String: String], bearer: String? = nil) -> FxAHTTPRequest {
        var headers = [("Content-Type", "application/json")]
        if let bearer { headers.append(("Authorization", "Bearer \(bearer)")) }
        let body = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return FxAHTTPRequest(method: .post, url: url, headers: headers, body: body)
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
