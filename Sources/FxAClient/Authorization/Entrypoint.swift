import Foundation

/// FxA's `entrypoint` (and the `utm_*` values share its rules): where in the
/// RP the user started, for the provider's funnel metrics. FxA drops the
/// whole metrics context when one value breaks its pattern, so a bad value
/// is refused here rather than silently lost there.
public struct MetricsValue: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The value as sent.
    public let value: String

    /// Letters, digits, `_ . : -`, up to 128 characters (FxA's
    /// `ENTRYPOINT_SCHEMA` / `UTM_SCHEMA`).
    public init(_ value: String) throws {
        guard (1...128).contains(value.count), value.unicodeScalars.allSatisfy(Self.allowed) else {
            throw FxAClientError.invalidConfiguration("metrics value must be 1-128 of [A-Za-z0-9_.:-]")
        }
        self.value = value
    }

    /// For literals in code; a bad literal is a programming error.
    public init(stringLiteral value: String) {
        do { try self.init(value) } catch { preconditionFailure("invalid metrics value literal \(value)") }
    }

    public var description: String { value }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", ":", "-": true
        default: false
        }
    }
}

/// The `entrypoint` every authorization request carries.
public typealias Entrypoint = MetricsValue

/// The `utm_*` parameters that attribute a sign-in to a campaign.
public struct UTMParameters: Sendable, Equatable, Codable {
    /// `utm_source`.
    public var source: MetricsValue?
    /// `utm_campaign`.
    public var campaign: MetricsValue?
    /// `utm_medium`.
    public var medium: MetricsValue?
    /// `utm_content`.
    public var content: MetricsValue?
    /// `utm_term`.
    public var term: MetricsValue?

    /// Any subset of the five; absent ones are not sent.
    public init(
        source: MetricsValue? = nil, campaign: MetricsValue? = nil, medium: MetricsValue? = nil,
        content: MetricsValue? = nil, term: MetricsValue? = nil
    ) {
        self.source = source
        self.campaign = campaign
        self.medium = medium
        self.content = content
        self.term = term
    }

    var queryItems: [URLQueryItem] {
        [("utm_source", source), ("utm_campaign", campaign), ("utm_medium", medium), ("utm_content", content),
         ("utm_term", term)]
            .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0.value) } }
    }
}
