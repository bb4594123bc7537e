import FxACore
import FxAStore
import Foundation

extension SigningKeyRing {
    /// The ring the operator configured: keys from PEM files, or from the
    /// database.
    ///
    /// - Throws: ``FxAError/invalidConfiguration(_:)`` when a file is missing
    ///   or is not an RSA private key of at least 2048 bits, so a typo stops
    ///   the server instead of silently generating a different key.
    public static func configured(
        _ source: ServerConfiguration.SigningKeySource, store: any SigningKeyStore, clock: any WallClock
    ) throws -> SigningKeyRing {
        switch source {
        case .database:
            return SigningKeyRing(source: .store(store), clock: clock)
        case .files(let currentPath, let previousPath):
            let current = try loadKey(at: currentPath)
            let previous = try previousPath.map(loadKey(at:))
            return SigningKeyRing(source: .fixed(current: current, previous: previous), clock: clock)
        }
    }

    private static func loadKey(at path: String) throws -> RSASigningKey {
        let pem: String
        do {
            pem = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FxAError.invalidConfiguration("cannot read signing key file \(path)")
        }
        do {
            return try RSASigningKey(pem: pem)
        } catch {
            throw FxAError.invalidConfiguration(
                "signing key file \(path) is not an RSA private key of at least \(RSASigningKey.minimumBits) bits")
        }
    }
}
