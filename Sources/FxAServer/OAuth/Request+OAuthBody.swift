import FxACore
import Vapor

extension Request {
    /// Decodes an OAuth request body (JSON or form). A body of the wrong
    /// shape is FxA's OAuth errno 109 with the RFC 6749 `invalid_request`
    /// code, naming the field, rather than the auth server's 106-108 that
    /// a standard OAuth library would not understand.
    ///
    /// Only JSON and form bodies are read: anything else (`text/plain`,
    /// multipart, none) is FxA's 415 with OAuth errno 113, before any
    /// decoder guesses at it. A form is read by ``FormParameters`` first:
    /// a field sent twice is refused, an empty one is as if omitted.
    func oauthBody<Body: Content>(_ type: Body.Type) throws -> Body {
        guard let mediaType = headers.contentType, Self.oauthBodyTypes.contains(where: { accepted in
            accepted.type == mediaType.type.lowercased() && accepted.subType == mediaType.subType.lowercased()
        }) else { throw FxAError.invalidContentType() }
        do {
            guard mediaType.subType.lowercased() == HTTPMediaType.urlEncodedForm.subType else { return try content.decode(type) }
            let form = try formParameters()
            if let name = form.duplicated.sorted().first { throw FxAError.duplicatedOAuthParameter(name) }
            return try URLEncodedFormDecoder().decode(type, from: form.encoded)
        } catch let error as DecodingError {
            throw FxAError.invalidOAuthParameter([Self.fieldName(of: error) ?? "body"])
        } catch let error as any AbortError where error.status == .badRequest {
            throw FxAError.invalidOAuthParameter(["body"])
        }
    }

    /// The body as a form (``FormParameters``): 415 with errno 113 unless
    /// it is `application/x-www-form-urlencoded`, 109 if it cannot be read.
    func formParameters() throws(FxAError) -> FormParameters {
        guard let type = headers.contentType, type.type.lowercased() == HTTPMediaType.urlEncodedForm.type,
              type.subType.lowercased() == HTTPMediaType.urlEncodedForm.subType
        else { throw FxAError.invalidContentType() }
        return try FormParameters(encoded: body.string ?? "")
    }

    private static let oauthBodyTypes: [HTTPMediaType] = [.json, .urlEncodedForm]

    private static func fieldName(of error: DecodingError) -> String? {
        switch error {
        case .keyNotFound(let key, _): key.stringValue
        case .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
            context.codingPath.last?.stringValue
        @unknown default: nil
        }
    }
}
