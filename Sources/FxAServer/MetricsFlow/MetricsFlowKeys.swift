import Crypto
import FxACore
import Foundation

/// The HMAC keys that sign and check metrics flow ids.
///
/// FxA shares a configured `FLOW_ID_KEY` between its content and auth
/// servers. swift-fxa derives the key from the server's signing keys
/// instead (HKDF-SHA256 over the RSA private key, with its own label), so
/// every instance on one database agrees without another secret to
/// configure, and nothing outside the server can forge a flow id. A key
/// rotation keeps the previous key's flow ids valid for as long as the
/// previous key is published, which outlasts a flow's two hours.
struct MetricsFlowKeys: Sendable {
    let keyRing: SigningKeyRing

    private static let label = Data("swift-fxa metrics flow id key v1".utf8)

    /// The key that signs new flow ids.
    func current() async throws -> SymmetricKey {
        Self.derive(from: try await keyRing.current())
    }

    /// Every key a valid flow id may be signed with, current first.
    func accepted() async throws -> [SymmetricKey] {
        try await keyRing.published().map(Self.derive)
    }

    private static func derive(from key: RSASigningKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: key.privateKey.derRepresentation), info: label, outputByteCount: 32)
    }
}
