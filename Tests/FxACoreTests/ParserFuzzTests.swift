import Crypto
import Foundation
import FxACore
import PropertyBased
import Testing

/// Random and mutated inputs for the parsers that read what a client sends
/// (Hawk headers, `keys_jwk`, `keys_jwe`, scopes, email addresses): each
/// must answer "not valid" or a value, never trap. A trap here would be a
/// crash of the whole server on one request.
@Suite("Parser fuzzing")
struct ParserFuzzTests {
    /// Strings built from the pieces these formats are made of, so the
    /// fuzzer reaches past the first check, mixed with arbitrary Unicode.
    static let pieces = [
        "Hawk ", "id=\"", "\", ", "ts=\"", "nonce=\"", "mac=\"", "hash=\"", "ext=\"", "\\\"", "=", ",", " ", "\"",
        ".", "eyJ", "-1", "99999999999999999999", "0", "https://", "identity.mozilla.com/", "apps/oldsync", ":write",
        "profile", "#", "@", "example.org", "\u{0}", "\u{301}", "\u{202E}", "\u{200B}", "%", "%ZZ", "İ", "ß", "e\u{301}",
    ]
    static let scalar = Gen<UInt32>.oneOf(Gen<UInt32>.value(in: 0...0xD7FF), Gen<UInt32>.value(in: 0xE000...0x10FFFF))
        .map { String(UnicodeScalar($0)!) }
    static let token = Gen<String>.oneOf(
        Gen<String?>.element(of: pieces).map { $0! }, Gen<Character>.letterOrNumber.string(of: 0...12), scalar)
    static let text = token.array(of: 0...30).map { $0.joined() }

    @Test func hawkHeadersNeverTrap() async {
        await propertyCheck(count: 2000, input: Self.text) { header in
            if let parsed = HawkAuthorization(header: header) {
                #expect(HawkAuthorization(header: parsed.headerValue) == parsed, "a parsed header reads back")
            }
        }
    }

    @Test func keysJWKParametersNeverTrap() async {
        let base64JSON = Self.text.map { Data($0.utf8).base64URLEncodedString }
        await propertyCheck(count: 1000, input: Gen.oneOf(Self.text, base64JSON)) { parameter in
            if let jwk = P256PublicJWK(keysJWKParameter: parameter) {
                #expect(jwk.publicKey != nil, "only a point on the curve is a key")
            }
        }
    }

    @Test func keysJWEsNeverTrap() async throws {
        let key = P256.KeyAgreement.PrivateKey()
        let valid = try KeysJWE.encrypt(Data("{}".utf8), to: P256PublicJWK(key.publicKey))
        // Real JWEs with one part replaced, and random five-part strings.
        let mutated = zip(Gen<Int>.int(in: 0...4), Self.text).map { index, replacement in
            var parts = valid.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            parts[index] = index == 0 ? Data(replacement.utf8).base64URLEncodedString : replacement
            return parts.joined(separator: ".")
        }
        await propertyCheck(count: 1000, input: Gen.oneOf(mutated, Self.text)) { jwe in
            _ = try? KeysJWE.decrypt(jwe, with: key)
        }
    }

    @Test func scopesAndEmailAddressesNeverTrap() async {
        await propertyCheck(count: 2000, input: Self.text) { text in
            if let scopes = RequestedScopes(parsing: text) {
                #expect(scopes.named.allSatisfy { scopes.set.implies($0) })
            }
            if let email = EmailAddress(text) {
                #expect(EmailAddress(email.value) == email)
                #expect(EmailAddress.normalize(email.normalized) == email.normalized, "normalizing twice changes nothing")
            }
        }
    }
}
