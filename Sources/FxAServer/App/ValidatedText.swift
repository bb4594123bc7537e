/// A request value that travels as a JSON string and exists only valid:
/// its failable initialiser is the one check, run by the decoder, so a
/// malformed value is refused at the edge (FxA's errno 107) and never
/// reaches a service. Encoded back as the same string.
protocol ValidatedText: Codable, Sendable {
    /// The text as accepted (possibly normalised by the initialiser).
    var value: String { get }
    /// `nil` for text that is not a valid value.
    init?(_ text: String)
}

extension ValidatedText {
    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a valid \(Self.self)"))
        }
        self = value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
