import FluentKit
import FxAVapor
import Foundation

/// ``FxAUserStore`` on the app's database.
struct FluentUserStore: FxAUserStore {
    let database: any Database

    func user(uid: String) async throws -> FxAStoredUser? {
        guard let record = try await UserRecord.find(uid, on: database) else { return nil }
        var profile = FxAProfile(
            uid: uid, email: record.email, displayName: record.displayName, avatar: record.avatar.flatMap(URL.init(string:)),
            locale: record.locale)
        profile.avatarDefault = nil
        return FxAStoredUser(
            uid: uid, profile: profile, refreshToken: record.refreshToken, passwordChangedAt: record.passwordChangedAt)
    }

    func signedIn(_ signIn: FxASignIn, at date: Date) async throws {
        let record = try await UserRecord.find(signIn.uid, on: database) ?? {
            let fresh = UserRecord()
            fresh.id = signIn.uid
            fresh.createdAt = date
            return fresh
        }()
        apply(signIn.profile, to: record)
        if let refreshToken = signIn.tokens.refreshToken { record.refreshToken = refreshToken }
        try await record.save(on: database)
    }

    func updateProfile(uid: String, profile: FxAProfile) async throws {
        guard let record = try await UserRecord.find(uid, on: database) else { return }
        apply(profile, to: record)
        try await record.save(on: database)
    }

    func recordPasswordChange(uid: String, at date: Date) async throws {
        guard let record = try await UserRecord.find(uid, on: database) else { return }
        if record.passwordChangedAt.map({ $0 < date }) ?? true {
            record.passwordChangedAt = date
            try await record.save(on: database)
        }
    }

    func forgetRefreshToken(uid: String, token: String) async throws {
        guard let record = try await UserRecord.find(uid, on: database), record.refreshToken == token else { return }
        record.refreshToken = nil
        try await record.save(on: database)
    }

    /// Deletes the user's notes and the user, in one transaction.
    func erase(uid: String) async throws {
        try await database.transaction { database in
            try await NoteRecord.query(on: database).filter(\.$uid == uid).delete()
            try await EventRecord.query(on: database).filter(\.$uid == uid).delete()
            try await UserRecord.query(on: database).filter(\.$id == uid).delete()
        }
    }

    private func apply(_ profile: FxAProfile, to record: UserRecord) {
        record.email = profile.email
        record.displayName = profile.displayName
        record.avatar = profile.avatar?.absoluteString
        record.locale = profile.locale
    }
}

/// ``SeenTokenStore`` on the app's database: the primary key on `jti`
/// makes the insert the atomic check, across instances too.
struct FluentSeenTokenStore: SeenTokenStore {
    let database: any Database

    func insertIfAbsent(_ jti: String, expiresAt: Date) async throws -> Bool {
        try await SeenEventRecord.query(on: database).filter(\.$expiresAt < Date()).delete()
        do {
            try await SeenEventRecord(jti: jti, expiresAt: expiresAt).create(on: database)
            return true
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }

    func remove(_ jti: String) async throws {
        try await SeenEventRecord.query(on: database).filter(\.$id == jti).delete()
    }
}
