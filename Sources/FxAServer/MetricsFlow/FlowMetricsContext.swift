import Logging

/// Where a flow started and which campaign brought the user: the
/// `entrypoint*` and `utm_*` parameters of `/metrics-flow` and
/// `/authorization`, each checked against FxA's patterns (≤ 128 characters;
/// `[\w.:-]` for entrypoints, `[\w/.%-]` for UTM values).
struct FlowMetricsContext: Sendable, Equatable {
    /// Parameter name → value, only for the names in ``entrypointNames`` and
    /// ``utmNames`` that passed their pattern.
    private(set) var values: [String: String] = [:]

    static let entrypointNames = ["entrypoint", "entrypoint_experiment", "entrypoint_variation"]
    static let utmNames = ["utm_campaign", "utm_content", "utm_medium", "utm_source", "utm_term"]
    /// The value FxA's own pages send when a sign-up came from a referral
    /// rather than a campaign; it is the one `utm_campaign` with spaces.
    private static let referralCampaign = "page referral - not part of a campaign"

    /// Reads the metrics parameters out of `query`.
    ///
    /// - Returns: the valid ones, and the names of those present but invalid.
    static func parse(_ query: [String: String]) -> (context: FlowMetricsContext, invalid: [String]) {
        var context = FlowMetricsContext()
        var invalid: [String] = []
        for name in entrypointNames + utmNames {
            guard let value = query[name] else { continue }
            let isUTM = name.hasPrefix("utm_")
            let valid = value.utf8.count <= 128 && !value.isEmpty && (
                value.unicodeScalars.allSatisfy { isUTM ? isUTMCharacter($0) : isEntrypointCharacter($0) }
                    || (name == "utm_campaign" && value.replacingOccurrences(of: "+", with: " ") == referralCampaign))
            if valid { context.values[name] = value } else { invalid.append(name) }
        }
        return (context, invalid)
    }

    /// The entrypoint that started the flow.
    var entrypoint: String? { values["entrypoint"] }

    /// Log metadata for a flow event; empty when the user asked not to be
    /// tracked (`DNT: 1`), as FxA drops these fields then.
    func logMetadata(doNotTrack: Bool) -> Logger.Metadata {
        guard !doNotTrack else { return [:] }
        return values.mapValues { .string($0) }
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_")
    }

    private static func isEntrypointCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isWordCharacter(scalar) || scalar == "." || scalar == ":" || scalar == "-"
    }

    private static func isUTMCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isWordCharacter(scalar) || scalar == "/" || scalar == "." || scalar == "%" || scalar == "-"
    }
}
