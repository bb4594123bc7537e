import FxACore
import FxAStore
import Foundation
import Vapor

/// The settings forms for the profile picture and the email addresses.
/// Each one posts with the session's CSRF token, calls the same service as
/// the API routes (with the same rate limits), and comes back to
/// `/settings` with a fixed notice; a refusal renders the page with what
/// went wrong.
struct SettingsFormsController: RouteCollection {
    let gate: WebPageGate
    let settings: SettingsPageLoader
    let emails: SecondaryEmailService
    let profileService: ProfileService
    let profiles: any ProfileStore
    let customs: Customs

    func boot(routes: any RoutesBuilder) throws {
        let settings = routes.grouped("settings")
        // A little over the image limit, for the multipart framing; the
        // service checks the image itself.
        settings.on(.POST, "avatar", body: .collect(maxSize: ByteCount(value: ProfileService.avatarMaxBytes + 16 * 1024)), use: uploadAvatar)
        settings.post("avatar", "remove", use: removeAvatar)
        settings.post("emails", "add", use: addEmail)
        settings.post("emails", "verify", use: verifyEmail)
        settings.post("emails", "resend", use: resendEmail)
        settings.post("emails", "primary", use: makePrimary)
        settings.post("emails", "remove", use: removeEmail)
    }

    /// The avatar form: `multipart/form-data` with the file and the token.
    struct AvatarForm: Content {
        var csrf_token: String?
        var avatar: File?
    }

    @Sendable func uploadAvatar(_ request: Request) async throws -> Response {
        guard let current = try await gate.signedIn(request) else { return gate.toSignin(request, next: WebPagePaths.settings) }
        let form = try? request.content.decode(AvatarForm.self, as: .formData)
        guard WebSessionCookie.checkCSRF(form?.csrf_token, for: current.cookieValue) else { return try await WebPageGate.expiredForm(request) }
        guard let file = form?.avatar, file.data.readableBytes > 0 else {
            return try await settings.response(request, current, notice: "Choose a picture to upload.", status: .badRequest)
        }
        return try await outcome(request, current) {
            _ = try await profileService.uploadAvatar(Data(buffer: file.data), for: current.account.uid)
            return "avatar"
        }
    }

    @Sendable func removeAvatar(_ request: Request) async throws -> Response {
        try await form(request) { current, _ in
            if let id = try await profiles.profile(uid: current.account.uid)?.avatarID {
                try await profileService.deleteAvatar(id, for: current.account.uid)
            }
            return "avatar_removed"
        }
    }

    @Sendable func addEmail(_ request: Request) async throws -> Response {
        try await form(request) { current, fields in
            let email = try Self.address(fields)
            try await customs.check(.emailSend, subject: current.account.uid.hex, ip: request.clientIP)
            try await emails.add(email, account: current.account)
            return "email_added"
        }
    }

    @Sendable func verifyEmail(_ request: Request) async throws -> Response {
        try await form(request) { current, fields in
            let email = try Self.address(fields)
            guard let code = SigninCode((fields["code"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                throw FxAError(status: 400, errno: .auth(.invalidParameter), message: "The code is the 6 digits in the email we sent.")
            }
            try await customs.check(.codeCheck, subject: current.account.uid.hex, ip: request.clientIP)
            try await emails.verify(email, code: code, account: current.account)
            return "email_verified"
        }
    }

    @Sendable func resendEmail(_ request: Request) async throws -> Response {
        try await form(request) { current, fields in
            let email = try Self.address(fields)
            try await customs.check(.emailSend, subject: current.account.uid.hex, ip: request.clientIP)
            try await emails.resend(email, account: current.account)
            return "email_resent"
        }
    }

    @Sendable func makePrimary(_ request: Request) async throws -> Response {
        try await form(request) { current, fields in
            try await emails.makePrimary(try Self.address(fields), account: current.account)
            return "email_primary"
        }
    }

    @Sendable func removeEmail(_ request: Request) async throws -> Response {
        try await form(request) { current, fields in
            try await emails.remove(try Self.address(fields), account: current.account)
            return "email_removed"
        }
    }

    /// A form post: checked by the gate, then `change`.
    private func form(
        _ request: Request, _ change: (WebSessions.Current, [String: String]) async throws -> String
    ) async throws -> Response {
        switch try await gate.formPost(request) {
        case .signedOut: return gate.toSignin(request, next: WebPagePaths.settings)
        case .expired: return try await WebPageGate.expiredForm(request)
        case let .accepted(current, fields): return try await outcome(request, current) { try await change(current, fields) }
        }
    }

    /// Runs `change`, which names the notice to come back to `/settings`
    /// with. A refusal (a 4xx FxA error: a taken address, a wrong code, a
    /// rate limit) renders the settings page with its message instead.
    private func outcome(
        _ request: Request, _ current: WebSessions.Current, _ change: () async throws -> String
    ) async throws -> Response {
        let done: String
        do {
            done = try await change()
        } catch let error as FxAError where (400..<500).contains(error.status) {
            return try await settings.response(request, current, notice: error.message, status: HTTPResponseStatus(statusCode: error.status))
        }
        return gate.redirect(request, to: WebPagePaths.settings + "?done=" + done)
    }

    /// The form's `email`, well formed (else FxA's 107 in words).
    private static func address(_ fields: [String: String]) throws -> EmailAddress {
        guard let email = EmailAddress((fields["email"] ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw FxAError(status: 400, errno: .auth(.invalidParameter), message: "That is not an email address.")
        }
        return email
    }
}
