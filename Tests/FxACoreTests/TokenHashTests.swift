import Crypto
import Foundation
import FxACore
import Testing

@Suite("Token hashes and lowercase hex")
struct TokenHashTests {
    @Test func aTokenHashIsTheSHA256OfTheSecretsBytes() throws {
        let token = Hex32.random()
        #expect(TokenHash(of: token).bytes == Data(SHA256.hash(data: token.bytes)))
        #expect(TokenHash(of: Data("code".utf8)).hex == "5694d08a2e53ffcae0c3103e5ad6f6076abd960eb1f8a56577040bc1028f702b")
        #expect(TokenHash(bytes: Data(count: 31)) == nil, "a stored hash is 32 bytes or nothing")
    }

    @Test func credentialsParseOnlyAsLowercaseHex() throws {
        let token = Hex32.random()
        #expect(Hex32(lowercaseHex: token.hex) == token)
        #expect(Hex32(lowercaseHex: token.hex.uppercased()) == nil, "the same bytes spelled otherwise are refused")
        #expect(Hex32(hex: token.hex.uppercased()) == token, "where case does not matter, hex: still accepts it")
        #expect(Hex32(lowercaseHex: String(token.hex.dropLast())) == nil)
        #expect(OAuthClientID(lowercaseHex: "0123456789abcdeg") == nil)
    }
}
