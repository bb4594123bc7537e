import FxACore
import Foundation
import Testing

@Suite("FxA error bodies")
struct FxAErrorTests {
    func body(_ error: FxAError) throws -> [String: Any] {
        let data = try JSONEncoder().encode(error)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func anErrorEncodesFxAsFiveFields() throws {
        let json = try body(.invalidJSON())
        #expect(json["code"] as? Int == 400)
        #expect(json["errno"] as? Int == 106)
        #expect(json["error"] as? String == "Bad Request")
        #expect(json["message"] as? String == "Invalid JSON in request body")
        #expect(json["info"] as? String == FxAError.defaultInfo)
        #expect(json["retryAfter"] == nil)
        #expect(json.count == 5)
    }

    @Test func throttlingCarriesRetryAfter() throws {
        let json = try body(.throttled(retryAfter: 42))
        #expect(json["code"] as? Int == 429)
        #expect(json["errno"] as? Int == 114)
        #expect(json["retryAfter"] as? Int == 42)
    }

    @Test func retryAfterIsNeverBelowOneSecond() {
        #expect(FxAError.throttled(retryAfter: 0).retryAfter == 1)
    }

    @Test func validationErrorsNameTheOffendingKeys() throws {
        let json = try body(.invalidParameter(["email", "authPW"]))
        let validation = try #require(json["validation"] as? [String: Any])
        #expect(validation["keys"] as? [String] == ["email", "authPW"])
        #expect(json["errno"] as? Int == 107)
        let missing = try body(.missingParameter("authPW"))
        #expect(missing["errno"] as? Int == 108)
        #expect(missing["param"] as? String == "authPW")
    }

    @Test func extraFieldsCannotOverrideTheStandardOnes() throws {
        var error = FxAError.unexpected()
        error.extra = ["errno": .int(1), "code": .int(200), "serverTime": .int(1_700_000_000)]
        let json = try body(error)
        #expect(json["errno"] as? Int == 999)
        #expect(json["code"] as? Int == 500)
        #expect(json["serverTime"] as? Int == 1_700_000_000)
    }

    @Test func theErrorPhraseFollowsTheStatusUnlessGiven() {
        #expect(FxAError(status: 401, errno: .auth(.invalidToken), message: "m").error == "Unauthorized")
        #expect(FxAError(status: 400, errno: .oauth(.invalidScopes), error: "Invalid scopes", message: "m").error == "Invalid scopes")
    }
}

@Suite("Errno tables")
struct ErrnoTableTests {
    @Test func authAndOAuthNumbersKeepMozillasMeanings() {
        #expect(AuthErrno.accountExists.rawValue == 101)
        #expect(AuthErrno.invalidTimestamp.rawValue == 111)
        #expect(AuthErrno.sessionUnverified.rawValue == 138)
        #expect(AuthErrno.unexpectedError.rawValue == 999)
        #expect(OAuthErrno.unknownClient.rawValue == 101)
        #expect(OAuthErrno.incorrectSecret.rawValue == 102)
        #expect(OAuthErrno.incorrectCode.rawValue == 106)
        #expect(OAuthErrno.missingPKCEParameters.rawValue == 118)
    }

    @Test func theSameNumberInTwoTablesStaysDistinct() {
        let auth = FxAError.Number.auth(.accountExists)
        let oauth = FxAError.Number.oauth(.unknownClient)
        #expect(auth.rawValue == oauth.rawValue)
        #expect(auth != oauth)
    }
}
