import FxAStore

/// The storage conformance suite: every case, for every store.
///
/// A new store adds a file of cases here (`<Store>Conformance.swift`) and
/// appends them to ``cases``.
public enum StoreConformance {
    public static let cases: [ConformanceCase] =
        databaseCases + signingKeyCases + accountCases + tokenCases + codeCases + mailboxCases
        + oauthClientCases + oauthGrantCases + profileCases + eventDeliveryCases + secondaryEmailCases
        + webSessionCases + deviceCases + sessionMintedTokenCases + totpCases + recoveryCodeCases + recoveryKeyCases
        + syncUserCases + syncStorageCases
}
