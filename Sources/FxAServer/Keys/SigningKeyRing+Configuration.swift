import FxACore
import FxAStore
import Foundation

extension SigningKeyRing {
    /// The ring the operator configured: keys from PEM files, or from the
    /// database.
    ///
    /// - Throws: ``StartupError`` when a file is missing
    ///   or is not an RSA private key of at least 2048 bits, so a typo stops
    ///   the server instead of silently generating a different key.
    public static func configured(
        _ source: ServerConfiguration.SigningKeySource, store: any SigningKeyStore, clock: any WallClock
    ) throws -> SigningKeyRing {
        switch source {
        case .database:
            return SigningKeyRing(source: .store(store), clock: clock)
        case .files(let currentPath, let previousPath):
            let current = try loadKey(at: currentPath, setting: .signingKeyFile)
            let previous = try previousPath.map { try loadKey(at: $0, setting: .previousSigningKeyFile) }
            return SigningKeyRing(source: .fixed(current: current, previous: previous), clock: clock)
        }
    }

    private static func loadKey(at path: String, setting: ServerSetting) throws -> RSASigningKey {
        let pem: String
        do {
            pem = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw StartupError(setting, "cannot read \(path)")
        }
        do {
            return try RSASigningKey(pem: pem)
        } catch {
            throw StartupError(setting, "\(path) is not an RSA private key of at least \(RSASigningKey.minimumBits) bits")
        }
    }
}
