import Crypto
import CryptoExtras
import FxACore
import Foundation
import JWTKit
import Testing

@Suite("RS256 signing keys")
struct RSASigningKeyTests {
    @Test func theKidIsTheRFC7638Thumbprint() {
        // The example key of RFC 7638 §3.1 and its published thumbprint.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        #expect(RSAPublicJWK.thumbprint(n: n, e: "AQAB") == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test func aGeneratedKeyIs2048BitsWithTheStandardExponent() throws {
        let key = try RSASigningKey.generate()
        #expect(Data(base64URLEncoded: key.publicJWK.n)?.count == 256)
        #expect(key.publicJWK.e == "AQAB")
        #expect(key.publicJWK.alg == "RS256")
        #expect(key.publicJWK.use == "sig")
        #expect(key.kid == key.publicJWK.kid)
    }

    @Test func reloadingThePEMGivesTheSameKid() throws {
        let key = try RSASigningKey.generate()
        let reloaded = try RSASigningKey(pem: key.pemRepresentation)
        #expect(reloaded.kid == key.kid)
        #expect(reloaded.publicJWK == key.publicJWK)
    }

    @Test func keysSmallerThan2048BitsAreRefused() throws {
        let weak = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        #expect(throws: FxAError.self) { try RSASigningKey(pem: weak.pemRepresentation) }
    }

    @Test func textThatIsNotAKeyIsRefusedWithAConfigurationErrno() {
        #expect {
            try RSASigningKey(pem: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----")
        } throws: { error in
            (error as? FxAError)?.errno == .auth(.serverConfigError)
        }
    }

    @Test func aTokenSignedWithTheKeyVerifiesAgainstThePublishedJWK() async throws {
        struct Claims: JWTPayload {
            var sub: SubjectClaim
            var exp: ExpirationClaim
            func verify(using algorithm: some JWTAlgorithm) async throws { try exp.verifyNotExpired() }
        }
        let key = try RSASigningKey.generate()
        let signer = JWTKeyCollection()
        await signer.add(rsa: key.privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        let token = try await signer.sign(
            Claims(sub: "uid", exp: .init(value: Date().addingTimeInterval(60))), kid: JWKIdentifier(string: key.kid))

        let jwks = try String(decoding: JSONEncoder().encode(JWKSet(keys: [key.publicJWK])), as: UTF8.self)
        let verifier = try await JWTKeyCollection().add(jwksJSON: jwks)
        let claims = try await verifier.verify(token, as: Claims.self)
        #expect(claims.sub.value == "uid")

        let header = try #require(token.split(separator: ".").first)
        let headerJSON = try #require(Data(base64URLEncoded: header))
        let decoded = try #require(try JSONSerialization.jsonObject(with: headerJSON) as? [String: String])
        #expect(decoded["alg"] == "RS256")
        #expect(decoded["kid"] == key.kid)
    }
}
